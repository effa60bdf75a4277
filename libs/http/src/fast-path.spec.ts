import 'reflect-metadata';
import { NotFoundError, StoreUnavailableError } from '@app/errors';
import { MetricsModule } from '@app/metrics';
import {
  type CanActivate,
  type Provider,
  Controller,
  Get,
  HttpCode,
  Module,
  Post,
  Res,
  type Type,
  UseGuards,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { createApp } from './bootstrap';
import { ErrorFilter } from './error.filter';
import { FastPath } from './fast-path';
import { Input, inputValidation } from './input.decorator';
import { Returns } from './openapi';

const nameInput = z.object({ name: z.string().regex(/^[a-z]+$/, 'must be lower-case letters') });
const greeting = z.object({ hello: z.string() });
const calls: string[] = [];
const stacks: string[] = [];

@Controller()
@FastPath()
class GreetingController {
  @Get('hello/:name')
  @Returns(greeting)
  hello(@Input(nameInput) { name }: z.output<typeof nameInput>) {
    calls.push(name);
    stacks.push(new Error().stack ?? '');
    if (name === 'nobody') throw new NotFoundError('no one called nobody');
    if (name === 'redis') return Promise.reject(new StoreUnavailableError('redis'));
    return { hello: name, secret: 'not in the schema' };
  }

  @Get('greetings/:name')
  @Returns(greeting)
  greet(@Input(nameInput) { name }: z.output<typeof nameInput>) {
    stacks.push(new Error().stack ?? '');
    return { hello: name };
  }

  @Post('hello')
  @Returns(greeting)
  create(@Input(nameInput) { name }: z.output<typeof nameInput>) {
    return Promise.resolve({ hello: name });
  }

  @Post('hello/silently')
  @HttpCode(204)
  silently(@Input(nameInput) { name }: z.output<typeof nameInput>) {
    calls.push(name);
  }

  @Post('hello/quietly')
  @HttpCode(200)
  @Returns(greeting)
  quietly(
    @Input(nameInput) { name }: z.output<typeof nameInput>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('x-quiet', 'yes');
    return { hello: name };
  }
}

class Deny implements CanActivate {
  canActivate = () => false;
}

@Controller()
@FastPath()
class GuardedController {
  @Get('guarded')
  @UseGuards(Deny)
  guarded() {
    return { hello: 'guarded' };
  }
}

const moduleWith = (controller: Type, providers: Provider[] = []) => {
  @Module({
    imports: [MetricsModule.forRoot({ enabled: false })],
    controllers: [controller],
    providers: [
      ErrorFilter,
      { provide: APP_FILTER, useExisting: ErrorFilter },
      { provide: APP_PIPE, useValue: inputValidation },
      ...providers,
    ],
  })
  class TestModule {}
  return TestModule;
};

const start = async (controller: Type, providers: Provider[] = []): Promise<NestFastifyApplication> => {
  const app = await createApp(moduleWith(controller, providers), { LOG_LEVEL: 'error' });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
};

describe('FastPath', () => {
  let app: NestFastifyApplication;
  const request = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.getHttpAdapter().getInstance().inject({ method, url, payload });

  beforeAll(async () => {
    app = await start(GreetingController);
  });
  afterAll(() => app.close());

  it("answers with the route's status, serialized by its schema (a field it does not name never leaves)", async () => {
    const get = await request('GET', '/hello/ann');
    expect([get.statusCode, get.json()]).toEqual([200, { hello: 'ann' }]);
    const post = await request('POST', '/hello', { name: 'bob' });
    expect([post.statusCode, post.json()]).toEqual([201, { hello: 'bob' }]);
  });

  it("calls the controller from Fastify's handler, not through Nest's router, paths with parameters too", async () => {
    stacks.length = 0;
    const answer = await request('GET', '/greetings/dee');
    expect([answer.statusCode, answer.json()]).toEqual([200, { hello: 'dee' }]);
    await request('GET', '/hello/eve');
    expect(stacks).toHaveLength(2);
    for (const stack of stacks) expect(stack).not.toMatch(/router-execution-context|router-proxy/);
  });

  it("keeps the adapter's own handling: an empty path parameter is not found", async () => {
    const answer = await request('GET', '/greetings/');
    expect(answer.statusCode).toBe(404);
  });

  it('keeps @HttpCode and a passthrough reply', async () => {
    const answer = await request('POST', '/hello/quietly', { name: 'cy' });
    expect([answer.statusCode, answer.headers['x-quiet'], answer.json()]).toEqual([
      200,
      'yes',
      { hello: 'cy' },
    ]);
  });

  it('answers a handler that returns nothing with an empty body', async () => {
    const answer = await request('POST', '/hello/silently', { name: 'fay' });
    expect([answer.statusCode, answer.body]).toEqual([204, '']);
  });

  it("validates with the app's pipe (400 naming the field) and never calls the handler on bad input", async () => {
    calls.length = 0;
    const answer = await request('GET', '/hello/Ann');
    expect([answer.statusCode, answer.json()]).toEqual([
      400,
      { error: 'Bad Request', message: 'name: must be lower-case letters' },
    ]);
    expect(calls).toEqual([]);
  });

  it("takes errors through the app's filter: a domain error's status, a store's 503", async () => {
    const missing = await request('GET', '/hello/nobody');
    expect([missing.statusCode, missing.json()]).toEqual([
      404,
      { error: 'Not Found', message: 'no one called nobody' },
    ]);
    const down = await request('GET', '/hello/redis');
    expect([down.statusCode, down.json<{ message: string }>().message]).toEqual([503, 'redis unavailable']);
  });

  it('refuses to start a route whose guard it would skip, and an app with a global guard', async () => {
    await expect(start(GuardedController)).rejects.toThrow(/GuardedController.guarded .*__guards__/);
    await expect(start(GreetingController, [{ provide: APP_GUARD, useClass: Deny }])).rejects.toThrow(
      /would skip the app's APP_GUARD/,
    );
  });
});
