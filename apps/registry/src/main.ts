import 'reflect-metadata';
import { advertiseUrl } from '@app/config';
import { bootstrap } from '@app/http';
import { loadRegistryConfig } from './registry.config';
import { RegistryModule } from './registry.module';

const env = loadRegistryConfig();
// The registry registers with itself, never through HAProxy (which learns of it from that registration).
const config = { ...env, REGISTRY_URL: advertiseUrl(env) };
void bootstrap(RegistryModule.forRoot(config), config);
