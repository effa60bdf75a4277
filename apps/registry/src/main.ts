import 'reflect-metadata';
import { advertiseUrl } from '@app/config';
import { registerWhenListening } from '@app/discovery';
import { bootstrap } from '@app/http';
import { loadRegistryConfig } from './registry.config';
import { RegistryModule } from './registry.module';
import { initStore } from './store/init-store';

const env = loadRegistryConfig();
if (process.argv.includes('--init')) {
  // bin/init.sh: create or migrate the store (SQLite file or DynamoDB table), then exit.
  void initStore(env, (line) => console.log(`registry: ${line}`)).catch((error: Error) => {
    console.error(`registry: ${error.message}`);
    process.exitCode = 1;
  });
} else {
  // The registry registers with itself, never through HAProxy (which learns of it from that registration).
  const config = { ...env, REGISTRY_URL: advertiseUrl(env) };
  void bootstrap(RegistryModule.forRoot(config), config).then(registerWhenListening);
}
