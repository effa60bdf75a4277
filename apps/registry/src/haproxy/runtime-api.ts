import type { Address } from '@app/config';
import { connect } from 'node:net';

/** HAProxy's Runtime API could not be reached or did not answer in time. */
export class HaproxyUnavailableError extends Error {}

/** How long a command may go without a byte from HAProxy before it counts as unreachable. */
const COMMAND_TIMEOUT_MS = 2_000;

/** `host:port` as the variables spell it (IPv6 in brackets). */
export function formatAddress({ host, port }: Address): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** One HAProxy's Runtime API over TCP: one command per connection, the answer as text. */
export class RuntimeApi {
  /** `host:port`, the name this HAProxy goes by in logs, metrics and views. */
  readonly label: string;

  constructor(private readonly address: Address) {
    this.label = formatAddress(address);
  }

  /** Runs one command (or several joined by `;`) and resolves with HAProxy's answer. */
  execute(command: string): Promise<string> {
    const { host, port } = this.address;
    return new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect({ host, port }, () => socket.end(`${command}\n`));
      socket.setEncoding('utf8');
      socket.setTimeout(COMMAND_TIMEOUT_MS, () =>
        socket.destroy(new HaproxyUnavailableError(`Runtime API timed out on "${command.slice(0, 60)}"`)),
      );
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', (error) =>
        reject(
          error instanceof HaproxyUnavailableError
            ? error
            : new HaproxyUnavailableError(`Runtime API: ${error.message}`),
        ),
      );
      socket.on('close', () => resolve(answer.trim()));
    });
  }
}
