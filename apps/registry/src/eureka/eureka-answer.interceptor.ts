import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { toEurekaXml, wantsJson } from './eureka-xml';

/** `body` as JSON when the reader asked for it, else as Eureka's XML (the type set on `reply`). */
export function answer(request: FastifyRequest, reply: FastifyReply, body: object): object | string {
  if (wantsJson(request.headers.accept)) return body;
  void reply.type('application/xml');
  return toEurekaXml(body);
}

/** Writes every Eureka answer as {@link answer} says, so the handlers return plain objects. */
@Injectable()
export class EurekaAnswerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next
      .handle()
      .pipe(map((body: unknown) => (body && typeof body === 'object' ? answer(request, reply, body) : body)));
  }
}
