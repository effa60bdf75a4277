import { RejectedError } from '@app/errors';
import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ChangeWatchService } from '../watch/change-watch.service';
import { clientGone } from '../watch/client-gone';
import { MAX_WAIT_MS } from '../watch/dto/blocking-query.schema';
import { consulQuerySchema } from './dto/consul-query.schema';

/**
 * Consul's read rules on every `/v1` route: its query options checked before anything is held,
 * `?index=&wait=` as a blocking query (Consul's: an index of 0, or one ahead of the registry's after a
 * restore, answers at once; `wait` defaults to and is capped at 5 min), and Consul's headers, the
 * change index in `X-Consul-Index` (always at least 1).
 */
@Injectable()
export class ConsulReadInterceptor implements NestInterceptor {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly watch: ChangeWatchService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const parsed = consulQuerySchema.safeParse(http.getRequest<FastifyRequest>().query);
    if (!parsed.success) {
      throw new RejectedError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const { index, wait, dc, stale, consistent } = parsed.data;
    if (dc !== undefined && dc !== '' && dc !== this.config.CONSUL_DATACENTER) {
      throw new HttpException(`No path to datacenter "${dc}"`, HttpStatus.INTERNAL_SERVER_ERROR);
    }
    if (index !== undefined && index > 0) {
      const waitMs = wait === undefined || wait <= 0 ? MAX_WAIT_MS : Math.min(wait, MAX_WAIT_MS);
      const gone = clientGone(reply.raw);
      try {
        await this.watch.waitPast(index, waitMs, gone.signal);
      } finally {
        gone.dispose();
      }
    }
    void reply.headers({
      'x-consul-index': String(await this.watch.current()),
      'x-consul-knownleader': 'true',
      'x-consul-lastcontact': '0',
      'x-consul-effective-consistency':
        consistent !== undefined ? 'consistent' : stale !== undefined ? 'stale' : 'leader',
    });
    return next.handle();
  }
}
