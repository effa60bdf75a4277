import type { RegistryConfig } from '../registry.config';
import { openDatabase } from './sqlite/sqlite';

/** Creates or migrates the store REGISTRY_STORE names (idempotent), for `--init`. */
export async function initStore(config: RegistryConfig, log: (line: string) => void): Promise<void> {
  if (config.REGISTRY_STORE === 'sqlite') {
    openDatabase(config.REGISTRY_DB_PATH).close();
    log(`database ready at ${config.REGISTRY_DB_PATH}`);
    return Promise.resolve();
  }
  throw new Error('REGISTRY_STORE=dynamodb is not available yet');
}
