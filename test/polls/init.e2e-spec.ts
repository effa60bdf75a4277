import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listening } from '../support';
import { initTables } from './polls-support';

describe('polls --init', () => {
  it('starts DynamoDB Local when none runs, creates the tables, stops it; again, leaves it stopped', async () => {
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

    // What the first made is recorded beside DynamoDB Local's files: no JVM started to find it again.
    const second = await initTables(env);
    expect(second).toContain('nothing to do');
    expect(second).not.toContain('starting it');
    expect(await listening(port)).toBe(false);

    // Without the record, or for other tables, it starts DynamoDB Local and checks (creates) them.
    rmSync(join(dataDir, 'chirp-init-polls'));
    const unrecorded = await initTables(env);
    expect(unrecorded).toContain('starting it for --init');
    expect(unrecorded).not.toContain('created table');
    expect(unrecorded).toContain('ACTIVE');
    const renamed = await initTables({ ...env, VOTES_TABLE: 'votes2' });
    expect(renamed).toContain('created table votes2');
    expect(renamed).not.toContain('created table polls');
    expect(await listening(port)).toBe(false);
  }, 180_000);
});
