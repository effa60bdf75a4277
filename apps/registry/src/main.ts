import 'reflect-metadata';
import { advertiseUrl } from '@app/config';
import { registerWhenListening } from '@app/discovery';
import { bootstrap } from '@app/http';
import { openDatabase } from './database/database.module';
import { loadRegistryConfig } from './registry.config';
import { RegistryModule } from './registry.module';

const env = loadRegistryConfig();
if (process.argv.includes('--init')) {
  // bin/init.sh: create or migrate the database, then exit.
  openDatabase(env.REGISTRY_DB_PATH).close();
  console.log(`registry: database ready at ${env.REGISTRY_DB_PATH}`);
} else {
  // The registry registers with itself, never through HAProxy (which learns of it from that registration).
  const config = { ...env, REGISTRY_URL: advertiseUrl(env) };
  void bootstrap(RegistryModule.forRoot(config), config).then(registerWhenListening);
}
