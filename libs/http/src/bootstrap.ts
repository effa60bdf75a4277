import { type LogLevel, type DynamicModule, Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type ServerEnv } from '@app/config';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { recordAllowedMethods } from './allowed-methods';
import { BODY_LIMIT_BYTES, registerBodyParsers } from './body-parsers';
import { answerExpectations, clientErrorHandler, requireHost } from './client-errors';
import { MAX_PARAM_LENGTH } from './limits';
import { ErrorFilter, toErrorResponse } from './error.filter';
import { FastPathAdapter } from './fast-path';
import { inputValidation } from './input.decorator';
import { serializeAnswer } from './openapi/answer-serializer';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Creates a Fastify-backed Nest app (JSON and form bodies) with Chirp's error shape, without listening. */
export async function createApp(
  module: Type | DynamicModule,
  env: Pick<ServerEnv, 'LOG_LEVEL'>,
): Promise<NestFastifyApplication> {
  const adapter = new FastPathAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
    // No app uses Nest middleware; middie's onRequest hook would run on every request for nothing.
    skipMiddie: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH }, // at the top level, Fastify warns at every start (FSTDEP022)
    http: { requireHostHeader: false }, // checked by requireHost, to answer in JSON
    clientErrorHandler,
    // Fastify's router refuses a malformed URL (400) or an over-long path parameter (414) before Nest
    // sees the request; those answers take Chirp's error shape too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(error);
      void reply.status(status).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL) + 1),
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.setSerializerCompiler(serializeAnswer); // before Nest maps its routes, at init
  registerBodyParsers(fastify, BODY_LIMIT_BYTES);
  recordAllowedMethods(fastify); // before Nest maps its routes, at init
  adapter.serveFastPaths(app, { validation: inputValidation, errors: ErrorFilter }); // likewise
  answerExpectations(fastify.server);
  requireHost(fastify);

  return app;
}

/**
 * Starts an app: listens, and makes SIGINT/SIGTERM close it within SHUTDOWN_TIMEOUT_MS. What an app
 * does once it listens (registering with the registry) its main.ts starts on the app returned.
 */
export async function bootstrap(
  module: Type | DynamicModule,
  env: ServerEnv,
): Promise<NestFastifyApplication> {
  const app = await createApp(module, env);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        new Logger('Shutdown').error(`still closing after ${env.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
        process.exit(1);
      }, env.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  await app.listen(env.PORT, env.HOST);
  return app;
}
