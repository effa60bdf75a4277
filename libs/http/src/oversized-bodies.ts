import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** How much of an oversized body is read and dropped so its sender can read the 413; past it, the connection is cut. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Makes a 413 readable by the client that caused it; called by the error filter, which answers every
 * one. Fastify refuses an oversized body by answering at once with `Connection: close`; the socket
 * closes while the client is still sending, and its next writes meet a reset that often destroys the
 * unread answer too (EPIPE or ECONNRESET in place of the 413: seen for 1 in 10 bodies of 100 KB and a
 * third of 2 MB ones). Instead the connection is kept and the rest of the body is read and dropped, up
 * to {@link DRAIN_LIMIT_BYTES}.
 */
export function keepReadingOversizedBody(request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.complete) return;
  reply.removeHeader('connection');
  discardRest(request.raw, DRAIN_LIMIT_BYTES);
}

function discardRest(body: IncomingMessage, limit: number): void {
  let read = 0;
  body.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > limit) body.socket.destroy();
  });
  body.resume();
}
