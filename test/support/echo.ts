import { Child, freePort, listening, waitFor } from './processes';

/** A bare HTTP server standing in for an app instance (test/support/echo-server.mjs). */
export class EchoServer {
  private constructor(
    readonly child: Child,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `hang`: its health check never answers; `drop`: it closes every other request unanswered. */
  static async start(options: { hang?: boolean; drop?: boolean } = {}): Promise<EchoServer> {
    const port = await freePort();
    const child = new Child(`echo:${port}`, process.execPath, ['test/support/echo-server.mjs'], {
      PORT: String(port),
      HANG: options.hang ? '1' : '0',
      DROP: options.drop ? '1' : '0',
    }).start();
    await waitFor(`echo server on :${port}`, () => listening(port));
    return new EchoServer(child, port);
  }

  /** Registers this server with the registry at `registryUrl` as an instance of `service`. */
  async register(registryUrl: string, service: string): Promise<{ id: string }> {
    const response = await fetch(`${registryUrl}/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service_name: service, url: this.url }),
    });
    if (response.status !== 201 && response.status !== 200) throw new Error(`register: ${response.status}`);
    return (await response.json()) as { id: string };
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    return this.child.stop(signal);
  }
}
