// @ts-check
// The process helpers that every test and every benchmark share: free ports, waiting for a port or a
// condition, and child processes that are killed when their parent exits. Plain CommonJS with JSDoc
// types, so that jest's TypeScript tests and the benchmarks' ES modules (`node bench/x.mjs`) load the
// same file without a build step.
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const { connect, createServer } = require('node:net');
const { setTimeout: sleep } = require('node:timers/promises');

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
// A test or benchmark that fails half-way must not leave servers behind.
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

// Ports are picked below the kernel's ephemeral range (32768-60999 on Linux): a port from that range
// (what `listen(0)` hands out) can be taken by any outgoing connection between the moment it is found
// free and the moment the child that was given it binds it, and then the child never listens.
const PICK_FROM = 10_000;
const PICK_BELOW = ephemeralLow();
/** Ports this process has already handed out, so two children started at once never share one. */
const handedOut = new Set();

/** @returns {number} the lowest ephemeral port of this machine (32768 where it cannot be read) */
function ephemeralLow() {
  try {
    const low = Number(
      require('node:fs').readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    return low > PICK_FROM + 1_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * A TCP port that was free on loopback a moment ago, outside the ephemeral range.
 * @returns {Promise<number>}
 */
async function freePort() {
  for (;;) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
}

/**
 * True when `port` can be bound on loopback now.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function bindable(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * True when something accepts TCP connections on loopback `port`.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function listening(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Polls `check` until it returns a truthy value (a throw counts as not yet) or `timeoutMs` passes;
 * returns that value.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined | false> | T | undefined | false} check
 * @param {number} [timeoutMs]
 * @param {number} [everyMs]
 * @returns {Promise<T>}
 */
async function waitFor(what, check, timeoutMs = 15_000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  const why = lastError === undefined ? '' : `: ${reasonOf(lastError)}`;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
}

/**
 * What went wrong, in one line: an error's message and its cause's code and message. fetch's errors
 * come from Node's realm, not a jest test's, so `instanceof Error` misses them: the fields are read.
 * @param {unknown} error
 * @returns {string}
 */
function reasonOf(error) {
  const { message, name, cause } = /** @type {{ message?: unknown, name?: unknown, cause?: unknown }} */ (
    error ?? {}
  );
  const text = typeof message === 'string' && message ? message : String(name ?? error);
  const { code, message: causeMessage } = /** @type {{ code?: unknown, message?: unknown }} */ (cause ?? {});
  const why = [code, causeMessage].filter((x) => typeof x === 'string' && x).join(' ');
  return why ? `${text} (${why})` : text;
}

/**
 * True when something answers HTTP at `url` with `status`.
 * @param {string} url
 * @param {number} [status]
 * @returns {Promise<boolean>}
 */
async function answers(url, status = 200) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === status;
  } catch {
    return false;
  }
}

/** A child process with the tail of its output kept for failure messages. */
class Child {
  /**
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {NodeJS.ProcessEnv} [env]
   */
  constructor(name, command, args, env = {}) {
    this.name = name;
    this.command = command;
    this.args = args;
    this.env = env;
    this.output = '';
    /** @type {import('node:child_process').ChildProcess | undefined} */
    this.process = undefined;
  }

  /** @returns {number | undefined} */
  get pid() {
    return this.process?.pid;
  }

  /** @returns {boolean} */
  get alive() {
    return !!this.process && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** @returns {this} */
  start() {
    const child = spawn(this.command, this.args, {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    /** @param {Buffer} chunk */
    const keep = (chunk) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      if (process.env.CHIRP_TEST_VERBOSE) process.stderr.write(`[${this.name}] ${chunk.toString()}`);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    running.add(child);
    child.on('exit', () => running.delete(child));
    this.process = child;
    return this;
  }

  /**
   * Sends `signal` and waits for the exit (SIGKILL after `graceMs`).
   * @param {NodeJS.Signals} [signal]
   * @param {number} [graceMs]
   * @returns {Promise<void>}
   */
  async stop(signal = 'SIGTERM', graceMs = 15_000) {
    const child = this.process;
    if (!child || !this.alive) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /**
   * Sends `signal` without waiting.
   * @param {NodeJS.Signals} signal
   */
  signal(signal) {
    this.process?.kill(signal);
  }

  /** @returns {Promise<unknown>} */
  exited() {
    return this.process && this.alive ? once(this.process, 'exit') : Promise.resolve();
  }
}

module.exports = { freePort, listening, waitFor, reasonOf, answers, Child };
