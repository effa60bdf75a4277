import { answers, Child, freePort, waitFor } from './processes';

/** A built Chirp app (dist/apps/<name>/main.js) run as a child process on a free port. */
export class TestApp {
  private constructor(
    readonly child: Child,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts `apps/<name>` with `env`, and waits until it listens (its /health-check answers). */
  static async start(
    name: string,
    env: NodeJS.ProcessEnv,
    options: { healthy?: boolean } = {},
  ): Promise<TestApp> {
    const port = Number(env.PORT) || (await freePort());
    const child = new Child(`${name}:${port}`, process.execPath, [`dist/apps/${name}/main.js`], {
      LOG_LEVEL: 'warn',
      // A registry killed by a test hands the checker lease over within seconds, not the default 15 s.
      REGISTRY_LEASE_MS: '2000',
      ...env,
      PORT: String(port),
    }).start();
    const app = new TestApp(child, port);
    await waitFor(
      `${name} on :${port}\n${child.output}`,
      async () => {
        if (!child.alive) throw new Error(`${name} exited:\n${child.output}`);
        return (
          (await answers(`${app.url}/health-check`)) ||
          (options.healthy === false && (await answers(`${app.url}/health-check`, 503)))
        );
      },
      30_000,
    );
    return app;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    return this.child.stop(signal);
  }
}
