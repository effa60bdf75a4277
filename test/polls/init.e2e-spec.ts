import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listening } from '../support';
import { initTables } from './polls-support';

describe('polls --init', () => {
  it('starts DynamoDB Local when none runs, creates the tables, stops it; twice changes nothing', async () => {
    const port = await freePort();
    const dataDir = join(mkdtempSync(join(tmpdir(), 'chirp-ddb-')), 'dynamodb');
    const env = {
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
      DYNAMODB_DATA_DIR: dataDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };

    const first = await initTables(env);
    expect(first).toContain(`starting it for --init`);
    expect(first).toContain('created table polls');
    expect(first).toContain('created table votes');
    expect(existsSync(join(dataDir, 'shared-local-instance.db'))).toBe(true);
    expect(await listening(port)).toBe(false);

    const second = await initTables(env);
    expect(second).not.toContain('created table');
    expect(second).toContain('ACTIVE');
    expect(await listening(port)).toBe(false);
  }, 120_000);
});
