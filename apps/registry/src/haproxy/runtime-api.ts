import { Inject, Injectable } from '@nestjs/common';
import { connect } from 'node:net';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';

/** HAProxy's Runtime API could not be reached or did not answer in time. */
export class HaproxyUnavailableError extends Error {}

const COMMAND_TIMEOUT_MS = 2_000;

/** HAProxy's Runtime API over loopback TCP: one command per connection, the answer as text. */
@Injectable()
export class RuntimeApi {
  private readonly host: string;
  private readonly port: number;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    const [host, port] = splitAddress(config.HAPROXY_RUNTIME_ADDR);
    this.host = host;
    this.port = port;
  }

  /** False when no Runtime API address is configured (HAProxy updates are off). */
  get enabled(): boolean {
    return this.port > 0;
  }

  execute(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect({ host: this.host, port: this.port }, () => socket.end(`${command}\n`));
      socket.setEncoding('utf8');
      socket.setTimeout(COMMAND_TIMEOUT_MS, () =>
        socket.destroy(new HaproxyUnavailableError(`HAProxy Runtime API timed out on "${command}"`)),
      );
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', (error) =>
        reject(
          error instanceof HaproxyUnavailableError
            ? error
            : new HaproxyUnavailableError(
                `HAProxy Runtime API at ${this.host}:${this.port}: ${error.message}`,
              ),
        ),
      );
      socket.on('close', () => resolve(answer.trim()));
    });
  }
}

function splitAddress(address: string): [string, number] {
  if (!address) return ['127.0.0.1', 0];
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), Number(address.slice(at + 1))];
}
