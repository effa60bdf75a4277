import { z } from 'zod';
import {
  type Address,
  count,
  millis,
  optionalAddress,
  optionalAddressList,
  parseEnv,
  serverEnv,
} from '@app/config';
import { dynamoEnv, localEndpointDefault } from '@app/dynamodb';

const hostList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );

/** The registry's environment: where its records are, how it checks, and how it reaches HAProxy. */
export const registryEnv = serverEnv.extend({
  PORT: serverEnv.shape.PORT.default(5501),
  /** Read with REGISTRY_STORE=dynamodb only: the same variables, and defaults, as polls. */
  ...dynamoEnv.shape,
  /** The DynamoDB table of the registry's records (REGISTRY_STORE=dynamodb). */
  REGISTRY_TABLE: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]{3,255}$/,
      'must be a DynamoDB table name (3-255 letters, digits, "_", "-" or ".")',
    )
    .default('registry'),
  /** Where `--init` keeps DynamoDB Local's files when it has to start it (as polls' `--init` does). */
  DYNAMODB_DATA_DIR: z.string().min(1).default('var/dynamodb'),
  /** Where the registry keeps its records: one SQLite file, or a DynamoDB table that several registries share. */
  REGISTRY_STORE: z.enum(['sqlite', 'dynamodb']).default('sqlite'),
  REGISTRY_DB_PATH: z.string().default('var/registry.db'),
  /** For fencing drills only: how long a round that saw a failure waits between its probes and its writes. */
  REGISTRY_DRILL_HOLD_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  /** How long the checker's lease lasts without a renewal (renewed every third of it). */
  REGISTRY_LEASE_MS: millis(15_000).pipe(z.number().min(300, 'must be at least 300 ms')),
  HEALTH_CHECK_INTERVAL_MS: millis(30_000),
  HEALTH_CHECK_TIMEOUT_MS: millis(2_000),
  HEALTH_CHECK_CONCURRENCY: count(256),
  HEALTH_FAILURES_BEFORE_PRUNE: count(1),
  /** Passing checks in a row that bring a critical instance back to passing. */
  HEALTH_SUCCESSES_BEFORE_PASSING: count(1),
  /** Above this share of a service's instances failing in one round (2 or more), nobody is pruned. */
  HEALTH_MASS_FAILURE_RATIO: z.coerce.number().min(0).max(1).default(0.5),
  /** How long an instance may stay critical before it is pruned, whatever else holds. */
  HEALTH_DEREGISTER_CRITICAL_AFTER_MS: millis(300_000),
  /** How often critical instances are probed between rounds. */
  HEALTH_RECHECK_CRITICAL_MS: millis(5_000),
  /** Rows of check history kept (the newest), across all instances. */
  HEALTH_HISTORY_LIMIT: count(10_000),
  /** Hosts besides loopback that instances may register from. */
  REGISTRY_ALLOWED_HOSTS: hostList,
  /** HAProxy's Runtime API (host:port, loopback); empty turns HAProxy updates off. */
  HAPROXY_RUNTIME_ADDR: optionalAddress('127.0.0.1:5590'),
  /** Several HAProxies' Runtime APIs (a comma list of host:port); when set, HAPROXY_RUNTIME_ADDR is ignored. */
  HAPROXY_RUNTIME_ADDRS: optionalAddressList(),
  /** How long a change waits for each HAProxy; a slower one catches up on its own, the others are not held. */
  HAPROXY_PUSH_TIMEOUT_MS: millis(2_000),
  /** An HAProxy behind the registry's change index for longer than this gets a full reconcile. */
  HAPROXY_MAX_LAG_MS: millis(5_000),
  /** How often each HAProxy's `show info` is read, to notice a restart, a return or a lag. */
  HAPROXY_PROBE_MS: millis(1_000),
  /** How long a deregistered instance may take to finish its connections before it is removed. */
  HAPROXY_DRAIN_TIMEOUT_MS: millis(10_000),
  /** Blocking queries (`?index=&wait=`) held at once; past it a new one is refused with 429. */
  REGISTRY_MAX_HELD_QUERIES: count(1_000),
  /** The datacenter the Consul-compatible reads (`/v1`) name. */
  CONSUL_DATACENTER: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_"')
    .default('dc1'),
});

/** The registry's validated configuration. */
export type RegistryConfig = z.output<typeof registryEnv>;

/** Injection token of {@link RegistryConfig}. */
export const REGISTRY_CONFIG = Symbol('REGISTRY_CONFIG');

/** The HAProxies the registry drives: HAPROXY_RUNTIME_ADDRS when set, else HAPROXY_RUNTIME_ADDR (or none). */
export function haproxyTargets(config: RegistryConfig): Address[] {
  if (config.HAPROXY_RUNTIME_ADDRS) return config.HAPROXY_RUNTIME_ADDRS;
  return config.HAPROXY_RUNTIME_ADDR ? [config.HAPROXY_RUNTIME_ADDR] : [];
}

export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return parseEnv(registryEnv, localEndpointDefault(env));
}
