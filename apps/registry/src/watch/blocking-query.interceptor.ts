import { RejectedError } from '@app/errors';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { ChangeWatchService } from './change-watch.service';
import { clientGone } from './client-gone';
import { blockingQuerySchema } from './dto/blocking-query.schema';

/** The header carrying the change index on every read that lists instances. */
export const INDEX_HEADER = 'X-Registry-Index';

/**
 * Makes a read a blocking query: holds it while `?index=` is still the current change index (up to
 * `wait`), then lets the handler answer the current state with the index it reflects in
 * {@link INDEX_HEADER}. The index is read before the state, so a change in between is never missed.
 */
@Injectable()
export class BlockingQueryInterceptor implements NestInterceptor {
  constructor(private readonly watch: ChangeWatchService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const parsed = blockingQuerySchema.safeParse(http.getRequest<FastifyRequest>().query);
    if (!parsed.success) {
      throw new RejectedError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const reply = http.getResponse<FastifyReply>();
    if (parsed.data) {
      const gone = clientGone(reply.raw);
      try {
        await this.watch.waitPast(parsed.data.index, parsed.data.waitMs, gone.signal);
      } finally {
        gone.dispose();
      }
    }
    void reply.header(INDEX_HEADER, String(await this.watch.current()));
    return next.handle();
  }
}
