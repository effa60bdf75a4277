import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@app/http';
import { loadRegistryConfig } from '../../apps/registry/src/registry.config';
import { RegistryModule } from '../../apps/registry/src/registry.module';

type Payload = Record<string, unknown> | string;
/** One request to the registry in-process: a JSON body (an object, or raw text) or a form body. */
export interface Call {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  url: string;
  json?: Payload;
  form?: string;
  headers?: Record<string, string>;
}

/** The registry in-process against a real SQLite file, HAProxy updates off. */
export async function startRegistry(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const config = loadRegistryConfig({
    REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-api-')), 'registry.db'),
    HAPROXY_RUNTIME_ADDR: '',
    LOG_LEVEL: 'error',
    ...env,
  });
  const app = await createApp(RegistryModule.forRoot(config), config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** `app.inject` with the content type that the body calls for. */
export function call(app: NestFastifyApplication, { method, url, json, form, headers = {} }: Call) {
  const payload = json === undefined ? form : typeof json === 'string' ? json : JSON.stringify(json);
  const contentType =
    json !== undefined
      ? 'application/json'
      : form !== undefined
        ? 'application/x-www-form-urlencoded'
        : undefined;
  return app.inject({
    method,
    url,
    payload,
    headers: { ...(contentType && { 'content-type': contentType }), ...headers },
  });
}

/** The services the registry lists right now. */
export const listServices = async (app: NestFastifyApplication) =>
  (await call(app, { method: 'GET', url: '/services' })).json<{ services: unknown[] }>().services;
