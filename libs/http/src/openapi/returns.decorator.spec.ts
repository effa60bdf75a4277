import { Controller, Get, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsModule } from '@app/metrics';
import { z } from 'zod';
import { createApp } from '../bootstrap';
import { ErrorFilter } from '../error.filter';
import { Returns } from './returns.decorator';

const user = z.object({ name: z.string(), nickname: z.string().nullable(), joined: z.iso.datetime() });
const lag = z.object({ lag_ms: z.number().min(0), since: z.iso.datetime().nullable() });
const either = z.union([lag, z.object({ name: z.string().max(3) })]);

@Controller()
class UsersController {
  @Get('leaky')
  @Returns(user)
  leaky() {
    return { name: 'ana', nickname: null, joined: '2026-01-01T00:00:00.000Z', password_hash: 'x' };
  }

  @Get('skewed')
  @Returns(either)
  skewed() {
    // A clock stepped back: out of the documented bounds, and still an answer to give.
    return { lag_ms: -3, since: 'not a time' };
  }

  @Get('incomplete')
  @Returns(user)
  incomplete() {
    return { name: 'ana', nickname: 'an' };
  }
}

@Module({
  imports: [MetricsModule.forRoot({ enabled: false })],
  controllers: [UsersController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
class UsersModule {}

describe(Returns.name, () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createApp(UsersModule, { LOG_LEVEL: 'error' });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app?.close());

  it('serializes an answer from its schema: a field the schema does not name never leaves', async () => {
    const answer = await app.inject({ method: 'GET', url: '/leaky' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json()).toEqual({ name: 'ana', nickname: null, joined: '2026-01-01T00:00:00.000Z' });
  });

  it('serializes by shape: a value out of its documented bounds still goes out (the tests check bounds)', async () => {
    const answer = await app.inject({ method: 'GET', url: '/skewed' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ lag_ms: -3, since: 'not a time' });
  });

  it('fails an answer missing a required field loudly (a 500 in the error shape), never drops it', async () => {
    const answer = await app.inject({ method: 'GET', url: '/incomplete' });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toEqual({ error: 'Internal Server Error', message: 'Internal server error' });
  });
});
