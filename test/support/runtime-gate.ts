import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './processes';

/** A command the gate holds: resolved once one arrives, released by the test. */
export interface HeldCommand {
  /** Resolves with the command text once a matching command is being held. */
  held: Promise<string>;
  /** Lets the held command through to HAProxy. */
  release: () => void;
}

/**
 * A TCP relay in front of HAProxy's Runtime API that can hold a command before it reaches HAProxy,
 * so a test can make another change land in the middle of the registry's work, deterministically.
 */
export class RuntimeGate {
  private next?: { pattern: RegExp; arrived: (command: string) => void; gate: Promise<void> };
  private refusal?: { pattern: RegExp; answer: string; refused: (command: string) => void };

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Relays from a free port to HAProxy's Runtime API on `target`. */
  static async start(target: number): Promise<RuntimeGate> {
    const port = await freePort();
    const gate: RuntimeGate = new RuntimeGate(
      createServer({ allowHalfOpen: true }, (client) => {
        let command = '';
        client.on('data', (chunk) => (command += chunk.toString()));
        client.on('error', () => client.destroy());
        client.on('end', () => void gate.relay(command, target, client));
      }),
      port,
    );
    await new Promise<void>((resolve) => gate.server.listen(port, '127.0.0.1', resolve));
    return gate;
  }

  /** The address to give the registry as HAPROXY_RUNTIME_ADDR. */
  get addr(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Holds the next command that matches `pattern` (commands before it, and other ones, pass). */
  hold(pattern: RegExp): HeldCommand {
    let release!: () => void;
    let arrived!: (command: string) => void;
    const held = new Promise<string>((resolve) => (arrived = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.next = { pattern, arrived, gate };
    return { held, release };
  }

  /** Answers the next command that matches `pattern` with `answer` itself, as HAProxy refusing it. */
  refuse(pattern: RegExp, answer: string): Promise<string> {
    return new Promise((refused) => (this.refusal = { pattern, answer, refused }));
  }

  async stop(): Promise<void> {
    this.next = undefined;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async relay(command: string, target: number, client: Socket): Promise<void> {
    const refusal = this.refusal;
    if (refusal && refusal.pattern.test(command)) {
      this.refusal = undefined;
      refusal.refused(command);
      client.end(`${refusal.answer}\n`);
      return;
    }
    const next = this.next;
    if (next && next.pattern.test(command)) {
      this.next = undefined;
      next.arrived(command);
      await next.gate;
    }
    const upstream = connect({ host: '127.0.0.1', port: target }, () => upstream.end(command));
    upstream.on('error', () => client.destroy());
    upstream.pipe(client);
  }
}
