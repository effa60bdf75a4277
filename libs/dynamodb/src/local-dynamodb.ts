import { mkdirSync } from 'node:fs';
import { listening, LOOPBACK, startLocalServer } from '@app/config';

/**
 * Runs `work` (an app's `--init`) with DynamoDB answering: when the endpoint is a DynamoDB Local on
 * loopback that is not running, starts it as the Procfile does (same data directory) for the
 * duration, then stops it again.
 */
export async function withLocalDynamoDb<T>(
  endpoint: string | undefined,
  dataDir: string,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  let stop: (() => Promise<void>) | undefined;
  const url = endpoint ? new URL(endpoint) : undefined;
  if (url && LOOPBACK.has(url.hostname)) {
    const port = Number(url.port) || 80;
    if (!(await listening(url.hostname, port))) {
      log(`DynamoDB Local is not running on :${port}; starting it for --init`);
      mkdirSync(dataDir, { recursive: true });
      const args = [
        'bin/dynamodb-local.sh',
        '--quick-start',
        '-port',
        String(port),
        '-sharedDb',
        '-dbPath',
        dataDir,
      ];
      stop = await startLocalServer('DynamoDB Local', 'bash', args, url.hostname, port);
    }
  }
  try {
    return await work();
  } finally {
    await stop?.();
  }
}
