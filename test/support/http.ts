import { connect } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Where a test's request goes: a base URL (`http://127.0.0.1:7400`) or a Nest app in this process. */
export type Target = string | NestFastifyApplication;

/** What a test sends: a method, and at most one body (JSON, a form, or raw text of `type`). */
export interface Send {
  method?: string;
  json?: unknown;
  form?: Record<string, string> | string;
  /** A raw body, sent as is (with `type` as its content type, if given). */
  body?: string;
  type?: string;
  headers?: Record<string, string>;
}

/** What a test reads back: the status, the body (parsed when it is JSON, the text otherwise), the headers. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** One request, over HTTP to a URL or injected into an in-process app; the same answer either way. */
export async function request<T = Record<string, unknown>>(
  target: Target,
  path: string,
  send: Send = {},
): Promise<Answer<T>> {
  const method = send.method ?? 'GET';
  const { headers, body } = encode(send);
  if (typeof target === 'string') {
    const response = await fetch(`${target}${path}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: parsed(await response.text()) as T, headers: response.headers };
  }
  const response = await target.inject({ method: method as 'GET', url: path, payload: body, headers });
  return {
    status: response.statusCode,
    body: parsed(response.body) as T,
    headers: new Headers(
      Object.entries(response.headers).map(([name, value]): [string, string] => [name, String(value)]),
    ),
  };
}

function encode(send: Send): { headers: Record<string, string>; body?: string } {
  let { body, type } = send;
  if (send.json !== undefined) {
    body = JSON.stringify(send.json);
    type ??= 'application/json';
  } else if (send.form !== undefined) {
    body = typeof send.form === 'string' ? send.form : new URLSearchParams(send.form).toString();
    type ??= 'application/x-www-form-urlencoded';
  }
  return { headers: { ...(type && { 'content-type': type }), ...send.headers }, body };
}

function parsed(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a server answers to `raw` bytes on `port` before it closes: the status, content type and body. */
export function rawRequest(
  port: number,
  raw: string,
): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
        type: /^content-type: (.*)$/im.exec(head)?.[1],
        body: text.slice(split + 4),
      });
    });
  });
}
