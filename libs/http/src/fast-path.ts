import { type ArgumentMetadata, type ExceptionFilter, type Type } from '@nestjs/common';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HOST_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  RENDER_METADATA,
  RESPONSE_PASSTHROUGH_METADATA,
  ROUTE_ARGS_METADATA,
  SSE_METADATA,
  VERSION_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { APP_GUARD, APP_INTERCEPTOR, ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { InputValidationPipe } from './input-validation.pipe';
import { successStatusOf } from './openapi/api-route';

/** Metadata key of {@link FastPath}: the controller and method a route handler stands for. */
const FAST_PATH = 'chirp:fast-path';

interface Target {
  controller: Type;
  method: string;
}

/**
 * Serves a controller's routes (on the class) or one route (on a method) straight from Fastify's
 * router instead of through Nest's: Nest's per-request layers (five promises and their microtasks, an
 * execution context, the pipes' bookkeeping) were a fifth of a likes request's CPU. The route keeps
 * everything else: its path, its schemas and serializer, its parameter decorators, the app's
 * validation pipe and its error filter. It has no guards, interceptors or per-route pipes or filters
 * to keep: {@link FastPathAdapter} refuses to start an app where one would be skipped. Not seen by that
 * check, so not to be used with a fast path: enhancers added with `app.useGlobal…()`, a controller that
 * extends a marked one, and answers Nest would unwrap (an Observable, a StreamableFile).
 */
export function FastPath(): ClassDecorator & MethodDecorator {
  return (target: object, method?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      mark(descriptor.value as object, { controller: target.constructor as Type, method: String(method) });
      return;
    }
    const proto = (target as Type).prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof proto[name] === 'function')
        mark(proto[name], { controller: target as Type, method: name });
    }
  };
}

const mark = (fn: object, target: Target) => Reflect.defineMetadata(FAST_PATH, target, fn);

/** What a fast route needs from the app: its one validation pipe and its one error filter. */
export interface FastPathEnhancers {
  validation: InputValidationPipe;
  errors: Type<ExceptionFilter>;
}

/**
 * The Fastify adapter, serving the routes marked {@link FastPath} with handlers of their own: Nest
 * hands each route's handler here with the method's metadata copied onto it, which is how the mark is
 * seen. The adapter's own handling of a route (its schema and config, its refusal of an empty path
 * parameter) is kept: the fast handler takes the place of Nest's, not of the adapter's wrapping.
 */
export class FastPathAdapter extends FastifyAdapter {
  private app?: NestFastifyApplication;
  private enhancers?: FastPathEnhancers;
  private appChecked = false;

  /** Where the fast routes' controllers and enhancers come from; before Nest maps its routes (at init). */
  serveFastPaths(app: NestFastifyApplication, enhancers: FastPathEnhancers): void {
    this.app = app;
    this.enhancers = enhancers;
  }

  override get(...args: unknown[]) {
    return super.get(...this.fast('GET', args));
  }

  override post(...args: unknown[]) {
    return super.post(...this.fast('POST', args));
  }

  override put(...args: unknown[]) {
    return super.put(...this.fast('PUT', args));
  }

  override delete(...args: unknown[]) {
    return super.delete(...this.fast('DELETE', args));
  }

  override patch(...args: unknown[]) {
    return super.patch(...this.fast('PATCH', args));
  }

  /** `args` (path, handler) with Nest's handler replaced when its method is marked. */
  private fast(verb: string, args: unknown[]): unknown[] {
    const handler = args.at(-1) as object;
    const target = Reflect.getMetadata(FAST_PATH, handler) as Target | undefined;
    if (target === undefined) return args;
    if (this.app === undefined || this.enhancers === undefined)
      throw new Error('FastPathAdapter: serveFastPaths() was not called before the routes were mapped');
    if (!this.appChecked) refuseGlobalEnhancers(this.app);
    this.appChecked = true;
    const fast = fastHandler(this.app, target, verb, this.enhancers);
    for (const key of Reflect.getMetadataKeys(handler) as unknown[])
      Reflect.defineMetadata(key, Reflect.getMetadata(key, handler), fast);
    return [...args.slice(0, -1), fast];
  }
}

function fastHandler(
  app: NestFastifyApplication,
  { controller, method }: Target,
  verb: string,
  { validation, errors }: FastPathEnhancers,
): RouteHandlerMethod {
  const instance = app.get<Record<string, (...args: unknown[]) => unknown>>(controller, { strict: false });
  const fn = instance[method];
  refuseSkippedEnhancers(controller, fn, method);
  const status = successStatusOf(fn, verb);
  const args = argumentsOf(controller, method, validation);
  const filter = app.get(errors, { strict: false });
  return async function (request: FastifyRequest, reply: FastifyReply) {
    const host = new ExecutionContextHost([request, reply], controller, fn);
    try {
      const values: unknown[] = [];
      for (const arg of args) {
        const value = arg(host);
        // A reply is a thenable (it settles when the response is sent): only a pipe's promise is awaited.
        values.push(value instanceof Promise ? await value : value);
      }
      void reply.status(status);
      const result = await fn.apply(instance, values);
      // Nothing to answer is an empty body, as through Nest (Fastify refuses an async handler's undefined).
      return result === undefined ? reply.send() : result;
    } catch (error) {
      filter.catch(error, host);
      return reply;
    }
  };
}

type Argument = (host: ExecutionContextHost) => unknown;

interface RouteArg {
  index: number;
  data?: unknown;
  factory?: (data: unknown, host: ExecutionContextHost) => unknown;
  schema?: ArgumentMetadata['schema'];
  pipes?: unknown[];
}

/** The handler's arguments in order: custom decorators (validated as Nest would) and a passthrough reply. */
function argumentsOf(controller: Type, method: string, validation: InputValidationPipe): Argument[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    RouteArg
  >;
  const list: Argument[] = [];
  for (const [key, arg] of Object.entries(args)) {
    const { index, data, factory, schema, pipes } = arg;
    if (pipes !== undefined && pipes.length > 0) {
      throw new Error(`${controller.name}.${method}: a fast path skips a parameter's own pipes`);
    }
    if (key.includes(CUSTOM_ROUTE_ARGS_METADATA) && factory) {
      const metadata: ArgumentMetadata = { type: 'custom', data: data as string | undefined, schema };
      // A decorator's promise is settled before the pipe sees it, as Nest does.
      list[index] = (host) => {
        const value = factory(data, host);
        return value instanceof Promise
          ? value.then((settled) => validation.validateNow(settled, metadata))
          : validation.validateNow(value, metadata);
      };
    } else if (
      key.startsWith(`${RouteParamtypes.RESPONSE}:`) &&
      Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, method) === true
    ) {
      list[index] = (host) => host.getArgByIndex(1);
    } else {
      throw new Error(
        `${controller.name}.${method}: a fast path takes @Input-style and @Res({ passthrough }) parameters only`,
      );
    }
  }
  return Array.from(list, (arg, index) => {
    if (arg === undefined)
      throw new Error(`${controller.name}.${method}: parameter ${index} has no decorator`);
    return arg;
  });
}

/** A guard, interceptor, pipe or filter on the route or its controller would be skipped: refused. */
function refuseSkippedEnhancers(controller: Type, fn: object, method: string): void {
  const skipped = [
    GUARDS_METADATA,
    INTERCEPTORS_METADATA,
    PIPES_METADATA,
    EXCEPTION_FILTERS_METADATA,
    HEADERS_METADATA,
    REDIRECT_METADATA,
    RENDER_METADATA,
    SSE_METADATA,
    HOST_METADATA,
    VERSION_METADATA,
  ].filter(
    (key) => Reflect.getMetadata(key, fn) !== undefined || Reflect.getMetadata(key, controller) !== undefined,
  );
  if (skipped.length > 0)
    throw new Error(
      `${controller.name}.${method} is a fast path but has ${skipped.join(', ')}, which it would skip`,
    );
}

/** An app-wide guard or interceptor (APP_GUARD, APP_INTERCEPTOR) would be skipped: refused. */
function refuseGlobalEnhancers(app: NestFastifyApplication): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const token of module.providers.keys()) {
      if (typeof token === 'string' && (token.startsWith(APP_GUARD) || token.startsWith(APP_INTERCEPTOR)))
        throw new Error(`a fast path would skip the app's ${token}`);
    }
  }
}
