import type { FastifyInstance, FastifyRequest } from 'fastify';

type JsonParser = ReturnType<FastifyInstance['getDefaultJsonParser']>;

/** Bodies above this are refused with 413 before they reach a handler. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** What a 413 says: the limit. */
export const BODY_TOO_LARGE = `The body is larger than the limit of 64 KiB (${BODY_LIMIT_BYTES} bytes)`;

/** What a 415 says: the type refused and the two taken. */
export const unsupportedType = (type: string): string =>
  `${type === '' ? 'A body without a content type' : `Content type ${type}`} is not accepted; send application/json or application/x-www-form-urlencoded`;

/**
 * JSON and form bodies, on every method. An empty body counts as no body whatever its content
 * type: httpie sends `Content-Type: application/json` with an empty body when its stdin is not a
 * terminal. GET bodies are read too, since the seed's httpie calls put fields there
 * (`http GET :5400/vote/results polls_id==... choice=yes`), which Fastify leaves unread.
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  // Fastify reads text/plain by default; no route takes text, so it is a 415 like any other type.
  fastify.removeContentTypeParser('text/plain');
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else void json(request, body as string, done);
  });
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseForm(body as string)),
  );
  // A callback hook, not an async one: every request passes here, and only a GET with a body waits.
  fastify.addHook('preValidation', (request, _reply, done) => {
    const length = Number(request.headers['content-length'] ?? 0);
    if (request.method !== 'GET' || !(length > 0)) return done();
    if (length > bodyLimit) return done(httpError(413, BODY_TOO_LARGE));
    parseGetBody(request, json).then((body) => {
      request.body = body;
      done();
    }, done);
  });
}

async function parseGetBody(request: FastifyRequest, json: JsonParser): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request.raw) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = request.headers['content-type'] ?? '';
  if (text === '') return undefined;
  if (type.startsWith('application/x-www-form-urlencoded')) return parseForm(text);
  if (!type.startsWith('application/json')) throw httpError(415, unsupportedType(type));
  return new Promise(
    (resolve, reject) => void json(request, text, (error, body) => (error ? reject(error) : resolve(body))),
  );
}

/**
 * A form's fields. A field given twice is a list, as Fastify makes it in a query string, so the same
 * field twice means the same thing (a 400 where one value is expected) however it is sent. No
 * prototype: a field named `__proto__` is a field like any other.
 */
function parseForm(body: string): Record<string, string | string[]> {
  const fields = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : ([] as string[]).concat(seen, value);
  }
  return fields;
}

function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode });
}
