import { z } from 'zod';
import { flag, httpUrl, millis, optionalHttpUrl, port } from './env';

/** What every app needs to listen and to find the registry; each app extends it. */
export const serverEnv = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: port(3000),
  /** The URL other processes use to reach this instance; defaults to http://HOST:PORT. */
  ADVERTISE_URL: optionalHttpUrl(),
  /** Where instances register: HAProxy's registry frontend by default. */
  REGISTRY_URL: httpUrl('http://127.0.0.1:5500'),
  REGISTRY_TOKEN: z.string().optional(),
  /**
   * How often an instance checks that the registry still knows it; also how long an instance pruned
   * during a store outage may wait, once the store is back, before it registers again.
   */
  REGISTRY_HEARTBEAT_MS: millis(3_000),
  /** The longest a shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: millis(15_000),
  /** `GET /metrics` and request timing; `false` only to measure what they cost. */
  METRICS_ENABLED: flag(true),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

/** The parsed form of {@link serverEnv}. */
export type ServerEnv = z.output<typeof serverEnv>;

/** The URL an instance advertises to the registry. */
export function advertiseUrl(env: ServerEnv): string {
  const host = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
  return (env.ADVERTISE_URL ?? `http://${host}:${env.PORT}`).replace(/\/+$/, '');
}
