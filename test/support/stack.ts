import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestApp } from './apps';
import { TestHaproxy } from './haproxy';
import { registryDbPath, startDynamoDb, startRedis, type StoreProcess } from './stores';
import { waitFor } from './processes';

const run = promisify(execFile);

/** A registry alone behind a test HAProxy (no stores), once HAProxy routes to it; `env` adds settings. */
export async function startRegistryBehindHaproxy(
  env: NodeJS.ProcessEnv = {},
): Promise<{ haproxy: TestHaproxy; registry: TestApp }> {
  const haproxy = await TestHaproxy.start();
  const registry = await TestApp.start('registry', {
    REGISTRY_DB_PATH: registryDbPath('reg'),
    HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
    ...env,
  });
  await waitFor(
    'registry in HAProxy',
    async () => (await haproxy.servers('registry')).get(`127.0.0.1:${registry.port}`) === 'UP',
  );
  return { haproxy, registry };
}

/** Options of a whole test formation. */
export interface StackOptions {
  likes?: number;
  polls?: number;
  /** The registry's check interval. */
  intervalMs?: number;
  cacheMaxAge?: number;
  /** DynamoDB Local on disk, so its restart keeps the data. */
  persistent?: boolean;
  /** More environment for every app (`LOG_LEVEL: 'log'` to see what Nest maps). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The whole formation as `npm start` runs it — Redis, DynamoDB Local, HAProxy, the registry, likes and
 * polls instances — on free ports, with databases in a temporary directory.
 */
export class TestStack {
  readonly likes: TestApp[] = [];
  readonly polls: TestApp[] = [];
  private registryApp?: TestApp;

  private constructor(
    readonly redis: StoreProcess,
    readonly dynamodb: StoreProcess,
    readonly haproxy: TestHaproxy,
    private readonly dir: string,
    private readonly intervalMs: number,
    private readonly appEnv: NodeJS.ProcessEnv,
  ) {}

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const [redis, dynamodb, haproxy] = await Promise.all([
      startRedis(),
      startDynamoDb({ persistent: options.persistent }),
      TestHaproxy.start({ cacheMaxAge: options.cacheMaxAge }),
    ]);
    const stack = new TestStack(
      redis,
      dynamodb,
      haproxy,
      mkdtempSync(join(tmpdir(), 'chirp-stack-')),
      options.intervalMs ?? 1000,
      options.env ?? {},
    );
    try {
      await stack.init();
      await stack.startRegistry();
      await Promise.all([
        ...Array.from({ length: options.likes ?? 3 }, () => stack.addLikes()),
        ...Array.from({ length: options.polls ?? 3 }, () => stack.addPolls()),
      ]);
      await stack.waitForBackend('likes', stack.likes.length);
      await stack.waitForBackend('polls', stack.polls.length);
      return stack;
    } catch (error) {
      // A stack that never came up is stopped here: the test's afterAll never sees it.
      await stack.stop().catch(() => undefined);
      throw error;
    }
  }

  get registry(): TestApp {
    return this.registryApp!;
  }

  /** The environment every app of this stack runs with. */
  get env(): NodeJS.ProcessEnv {
    return {
      REGISTRY_URL: `http://127.0.0.1:${this.haproxy.registry}`,
      REDIS_URL: `redis://127.0.0.1:${this.redis.port}`,
      POSTS_DB_PATH: join(this.dir, 'posts.db'),
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${this.dynamodb.port}`,
      REGISTRY_DB_PATH: join(this.dir, 'registry.db'),
      HAPROXY_RUNTIME_ADDR: this.haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: String(this.intervalMs),
      HEALTH_CHECK_TIMEOUT_MS: String(Math.min(1000, this.intervalMs)),
      REGISTRY_HEARTBEAT_MS: '1000',
      LOG_LEVEL: 'warn',
      ...this.appEnv,
    };
  }

  /** What bin/init.sh does: each app's `--init` creates its store. */
  async init(): Promise<void> {
    for (const app of ['registry', 'likes', 'polls']) {
      await run(process.execPath, [`dist/apps/${app}/main.js`, '--init'], {
        env: { ...process.env, ...this.env },
      });
    }
  }

  async startRegistry(): Promise<TestApp> {
    this.registryApp = await TestApp.start('registry', this.env);
    return this.registryApp;
  }

  async addLikes(): Promise<TestApp> {
    const app = await TestApp.start('likes', this.env);
    this.likes.push(app);
    return app;
  }

  async addPolls(): Promise<TestApp> {
    const app = await TestApp.start('polls', this.env);
    this.polls.push(app);
    return app;
  }

  /** Waits until HAProxy's `backend` has `count` servers UP. */
  waitForBackend(backend: string, count: number, timeoutMs = 20_000): Promise<boolean> {
    return waitFor(
      `${count} ${backend} servers UP`,
      async () =>
        [...(await this.haproxy.servers(backend)).values()].filter((s) => s === 'UP').length === count,
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.likes, ...this.polls].map((app) => app.stop()));
    await this.registryApp?.stop();
    await Promise.all([this.haproxy.stop(), this.redis.stop(), this.dynamodb.stop()]);
  }
}
