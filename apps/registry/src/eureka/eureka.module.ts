import { toErrorResponse, unsupportedType } from '@app/http';
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CheckerModule } from '../checker/checker.module';
import { InstancesModule } from '../instances/instances.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { answer, EurekaAnswerInterceptor } from './eureka-answer.interceptor';
import { EurekaController } from './eureka.controller';
import { EurekaDelta } from './eureka-delta';
import { EurekaRegistry } from './eureka-registry';
import { parseEurekaXml } from './eureka-xml';

/** Eureka's REST API at `/eureka`: a view and a set of operations over the instances. */
@Module({
  imports: [InstancesModule, MaintenanceModule, CheckerModule],
  controllers: [EurekaController],
  providers: [EurekaRegistry, EurekaDelta, EurekaAnswerInterceptor],
})
export class EurekaModule implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly eureka: EurekaRegistry,
  ) {}

  /** Eureka's clients may send XML (the Java client's default codec is XStream's XML). */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser(
      ['application/xml', 'text/xml'],
      { parseAs: 'string' },
      (request, body, done) => {
        // Eureka's routes only: everywhere else XML stays the 415 it was.
        if (!request.url.startsWith('/eureka/')) {
          const type = request.headers['content-type'] ?? '';
          return done(Object.assign(new Error(unsupportedType(type)), { statusCode: 415 }), undefined);
        }
        if (body === '') return done(null, undefined);
        try {
          done(null, parseEurekaXml(body as string));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );
    // eureka-js-client reads the registry at its service URL itself, `…/eureka/apps/`: the same answer
    // as `/eureka/apps`. Nest maps both spellings to one path, so this one is Fastify's own route.
    fastify.get('/eureka/apps/', async (request, reply) => {
      try {
        return answer(request, reply, await this.eureka.applications());
      } catch (error) {
        const { status, body } = toErrorResponse(error);
        return reply.status(status).send(body);
      }
    });
  }
}
