import { connect } from 'node:net';
import type { ProbeResult } from './health-probe';

/**
 * A TCP check (Consul's CheckTCP): passes once a connection to `host:port` is established within
 * `timeoutMs`, and closes it at once; nothing is sent.
 */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const end = (error: string | null) => {
      socket.destroy();
      resolve({ status_code: null, latency_ms: elapsed(), error, passed: error === null });
    };
    socket.once('connect', () => end(null));
    socket.once('timeout', () => end(`timed out after ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => end(error.code ?? error.message));
  });
}
