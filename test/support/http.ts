/** A request from a test: status, body (parsed when it is JSON, the text otherwise) and headers. */
export async function request<T = unknown>(
  url: string,
  init: {
    method?: string;
    json?: unknown;
    form?: Record<string, string>;
    /** A raw body, sent as is (with `type` as its content type, if given). */
    body?: string;
    type?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  if (init.type) headers['content-type'] = init.type;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: parsed(text) as T, headers: response.headers };
}

function parsed(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
