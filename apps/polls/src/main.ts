import 'reflect-metadata';
import { registerWhenListening } from '@app/discovery';
import { bootstrap } from '@app/http';
import { initTables } from './dynamodb/init';
import { loadPollsConfig } from './polls.config';
import { PollsModule } from './polls.module';

// package.json supports Node 20; the SDK's notice about its own future releases is noise in every log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const config = loadPollsConfig();
if (process.argv.includes('--init')) {
  // bin/init.sh: create the tables (starting DynamoDB Local for the occasion if needed), then exit.
  initTables(config, (line) => console.log(`polls: ${line}`)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`polls: --init failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
} else {
  void bootstrap(PollsModule.forRoot(config), config).then(registerWhenListening);
}
