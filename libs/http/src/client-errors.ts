import type { FastifyInstance } from 'fastify';
import { type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBodyOf } from './error.filter';
import { HEADER_LIMIT_KIB } from './limits';

/** What each of Node's own refusals tells the client. */
const WHY: Record<number, string> = {
  400: 'the request is not valid HTTP',
  408: 'the request was not received in full in time',
  431: `the request headers are larger than the server accepts (${HEADER_LIMIT_KIB} KiB)`,
};

const json = (status: number, message: string) => JSON.stringify(errorBodyOf(status, message));

/**
 * Requests Node refuses before Fastify sees them (unparsable, too slow, headers too large), answered in
 * the apps' `{error, message}` shape: Fastify's own handler adds a `statusCode` key and says only
 * "Client Error".
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = json(status, WHY[status]);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** An `Expect` other than 100-continue: Node answers an empty 417 unless the server listens for it. */
export function answerExpectations(server: Server): void {
  server.on('checkExpectation', (request, response) => {
    const body = json(417, `Expect: ${request.headers.expect} is not supported; only 100-continue is`);
    response
      .writeHead(417, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      })
      .end(body);
  });
}

/**
 * HTTP/1.1 requires a Host header. Node refuses a request without one with an empty 400 before any
 * hook runs, so the apps turn its check off (`requireHostHeader: false`) and make it here instead.
 */
export function requireHost(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      void reply
        .code(400)
        .header('connection', 'close')
        .send(errorBodyOf(400, 'an HTTP/1.1 request must carry a Host header'));
      return;
    }
    done();
  });
}
