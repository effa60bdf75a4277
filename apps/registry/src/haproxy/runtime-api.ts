import type { Address } from '@app/config';
import { Inject, Injectable } from '@nestjs/common';
import { connect } from 'node:net';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';

/** HAProxy's Runtime API could not be reached or did not answer in time. */
export class HaproxyUnavailableError extends Error {}

const COMMAND_TIMEOUT_MS = 2_000;

/** HAProxy's Runtime API over loopback TCP: one command per connection, the answer as text. */
@Injectable()
export class RuntimeApi {
  private readonly address: Address | null;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.address = config.HAPROXY_RUNTIME_ADDR;
  }

  /** False when HAPROXY_RUNTIME_ADDR is empty (HAProxy updates are off). */
  get enabled(): boolean {
    return this.address !== null;
  }

  /** Runs one command (or several joined by `;`) and resolves with HAProxy's answer. */
  execute(command: string): Promise<string> {
    const { host, port } = this.address ?? { host: '127.0.0.1', port: 0 };
    return new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect({ host, port }, () => socket.end(`${command}\n`));
      socket.setEncoding('utf8');
      socket.setTimeout(COMMAND_TIMEOUT_MS, () =>
        socket.destroy(new HaproxyUnavailableError(`HAProxy Runtime API timed out on "${command}"`)),
      );
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', (error) =>
        reject(
          error instanceof HaproxyUnavailableError
            ? error
            : new HaproxyUnavailableError(`HAProxy Runtime API at ${host}:${port}: ${error.message}`),
        ),
      );
      socket.on('close', () => resolve(answer.trim()));
    });
  }
}
