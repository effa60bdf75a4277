import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { registryDbPath, request, startInProcess } from '../support';
import { loadRegistryConfig } from '../../apps/registry/src/registry.config';
import { RegistryModule } from '../../apps/registry/src/registry.module';

/** The registry in-process against a real SQLite file, HAProxy updates off. */
export async function startRegistry(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const config = loadRegistryConfig({
    REGISTRY_DB_PATH: registryDbPath('api'),
    HAPROXY_RUNTIME_ADDR: '',
    LOG_LEVEL: 'error',
    ...env,
  });
  return startInProcess(RegistryModule.forRoot(config), config);
}

/** The services the registry lists right now. */
export const listServices = async (app: NestFastifyApplication) =>
  (await request<{ services: unknown[] }>(app, '/services')).body.services;
