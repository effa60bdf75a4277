import { All, Controller, HttpException, HttpStatus, NotFoundException, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PARAM_TOO_LONG } from '@app/http';
import { ChangesNothing } from '../auth/token.guard';

/** The `/v1` reads served, for the one line a 404 or 405 answers with. */
export const CONSUL_READS = [
  '/v1/agent/self',
  '/v1/catalog/datacenters',
  '/v1/catalog/nodes',
  '/v1/catalog/services',
  '/v1/catalog/service/:name',
  '/v1/health/service/:name',
  '/v1/status/leader',
];
const SERVED = `served: GET ${CONSUL_READS.join(', ')} (writes stay on the registry's own routes)`;
const READ_PATHS = CONSUL_READS.map((route) => new RegExp(`^${route.replace(':name', '[^/]+')}$`));
const served = (path: string) => READ_PATHS.some((read) => read.test(path));

/**
 * Everything else under `/v1`: a read path with another method is 405 with `Allow: GET, HEAD`, any
 * other path 404, each naming what is served; a read whose name is too long for the router, 414.
 * (Routed after the reads: a static route wins.)
 */
@Controller('v1')
export class ConsulFallbackController {
  @All('*')
  @ChangesNothing()
  notServed(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): never {
    const path = request.url.split('?')[0];
    if (served(path)) {
      // A read of a served path lands here only when its name is past the router's limit.
      if (request.method === 'GET' || request.method === 'HEAD') {
        throw new HttpException(PARAM_TOO_LONG, HttpStatus.URI_TOO_LONG);
      }
      void reply.header('allow', 'GET, HEAD');
      throw new HttpException(
        `${request.method} ${path} is not served; ${SERVED}`,
        HttpStatus.METHOD_NOT_ALLOWED,
      );
    }
    throw new NotFoundException(`${path} is not served; ${SERVED}`);
  }
}
