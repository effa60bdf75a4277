import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

const running = new Set<ChildProcess>();
// A test that fails half-way must not leave servers behind.
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** A child process started by a test, with its output kept for failure messages. */
export class Child {
  private process?: ChildProcess;
  output = '';

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get alive(): boolean {
    return !!this.process && this.process.exitCode === null && this.process.signalCode === null;
  }

  start(): this {
    const child = spawn(this.command, this.args, {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      if (process.env.CHIRP_TEST_VERBOSE) process.stderr.write(`[${this.name}] ${chunk.toString()}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    running.add(child);
    child.on('exit', () => running.delete(child));
    this.process = child;
    return this;
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    const child = this.process;
    if (!child || !this.alive) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Sends `signal` without waiting. */
  signal(signal: NodeJS.Signals): void {
    this.process?.kill(signal);
  }

  exited(): Promise<unknown> {
    return this.alive ? once(this.process!, 'exit') : Promise.resolve();
  }
}
