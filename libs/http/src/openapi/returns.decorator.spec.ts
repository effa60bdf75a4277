import { Controller, Get, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsModule } from '@app/metrics';
import { z } from 'zod';
import { createApp } from '../bootstrap';
import { ErrorFilter } from '../error.filter';
import { Returns } from './returns.decorator';

const user = z.object({ name: z.string(), nickname: z.string().nullable(), joined: z.iso.datetime() });

@Controller()
class UsersController {
  @Get('leaky')
  @Returns(user)
  leaky() {
    return { name: 'ana', nickname: null, joined: '2026-01-01T00:00:00.000Z', password_hash: 'x' };
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

  it('fails an answer missing a required field loudly (a 500 in the error shape), never drops it', async () => {
    const answer = await app.inject({ method: 'GET', url: '/incomplete' });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toEqual({ error: 'Internal Server Error', message: 'Internal server error' });
  });
});
