import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServerEnv } from '@app/config';
import { createApp } from '@app/http';
import { request } from './http';
import { waitFor } from './processes';

/**
 * An app module booted in this process, as `bootstrap` builds it but without listening: requests go
 * through `request(app, ...)` (Fastify's inject), so a test needs no build and no port. Like a started
 * TestApp, it is returned once its /health-check answers 200 (its stores connected).
 */
export async function startInProcess(
  module: DynamicModule,
  config: Pick<ServerEnv, 'LOG_LEVEL'>,
): Promise<NestFastifyApplication> {
  const app = await createApp(module, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await waitFor('the app healthy', async () => (await request(app, '/health-check')).status === 200);
  return app;
}
