import { NotFoundError } from '@app/errors';
import type { WantedServer } from '../haproxy/slots';

/** `passing` instances receive traffic; `critical` ones failed their last check and receive none. */
export type InstanceStatus = 'passing' | 'critical';

/** An operator took the instance out of traffic (Consul's maintenance mode), why and since when. */
export interface Maintenance {
  reason: string;
  since: number;
}

/**
 * How the registry checks an instance (Consul's check types). `http` and `tcp` are probed every
 * `interval_ms`, each probe bounded by `timeout_ms` (null: the registry's HEALTH_CHECK_INTERVAL_MS and
 * HEALTH_CHECK_TIMEOUT_MS); `ttl` is never probed: the instance reports, and is critical once `ttl_ms`
 * passes without a passing report.
 */
export type CheckDefinition =
  | { type: 'http' | 'tcp'; interval_ms: number | null; timeout_ms: number | null }
  | { type: 'ttl'; ttl_ms: number };

/** The check every instance had before there were others. */
export const DEFAULT_CHECK: CheckDefinition = { type: 'http', interval_ms: null, timeout_ms: null };

/** A TTL check's state: what the instance last reported, and when its last passing report lapses. */
export interface TtlState {
  status: InstanceStatus;
  output: string;
  expires_at: number;
}

/** HAProxy's range of server weights; 0 takes no new traffic. */
export const WEIGHT = { min: 0, max: 256, default: 1 } as const;

/** One registered instance of a service, as the registry records it (times in epoch milliseconds). */
export interface Instance {
  id: string;
  service_name: string;
  url: string;
  http: 'GET' | 'HEAD';
  health_path: string;
  /** Labels for clients to filter on (Consul's tags). */
  tags: string[];
  /** Free-form key/value pairs (Consul's `Service.Meta`), such as the app's version. */
  meta: Record<string, string>;
  check: CheckDefinition;
  /** A TTL check's state; null for the other types. */
  ttl: TtlState | null;
  status: InstanceStatus;
  /** Its share of its backend's traffic in HAProxy (0-256; 0: checked and listed, given no new requests). */
  weight: number;
  /** Set while it is out of traffic by an operator's choice: never checked nor pruned meanwhile. */
  maintenance: Maintenance | null;
  consecutive_failures: number;
  consecutive_successes: number;
  /** When it last turned critical; null while passing. */
  critical_since: number | null;
  /** What its last check saw (`HTTP GET http://…/health-check: 200 OK`); empty until checked. */
  last_output: string;
  registered_at: number;
  last_seen: number;
}

/**
 * What a caller supplies to register an instance. Without a `weight`, a new instance weighs
 * {@link WEIGHT}.default and a known one keeps the weight it had (set by an operator since, perhaps).
 */
export type Registration = Pick<
  Instance,
  'service_name' | 'url' | 'http' | 'health_path' | 'tags' | 'meta' | 'check'
> & {
  weight?: number;
  /**
   * What a TTL-checked instance says of itself as it registers (an Eureka client registering DOWN or
   * STARTING): critical from the start, never routed first. Passing when absent.
   */
  reported?: Pick<TtlState, 'status' | 'output'>;
};

/** A TTL instance's state once it has (re-)registered: as it reported (passing by default), until `ttl_ms` from `now`. */
export const registeredTtl = (
  { check, reported }: Pick<Registration, 'check' | 'reported'>,
  now: number,
): TtlState | null =>
  check.type === 'ttl'
    ? { status: 'passing', output: 'registered', ...reported, expires_at: now + check.ttl_ms }
    : null;

/** The status a registration starts with: passing, unless a TTL instance reported otherwise. */
export const registeredStatus = (registration: Pick<Registration, 'check' | 'reported'>): InstanceStatus =>
  registeredTtl(registration, 0)?.status ?? 'passing';

/** What an operator changes on a registered instance, or a check made outside a round records. */
export type InstanceChanges = Partial<
  Pick<
    Instance,
    | 'meta'
    | 'weight'
    | 'maintenance'
    | 'ttl'
    | 'status'
    | 'consecutive_failures'
    | 'consecutive_successes'
    | 'critical_since'
    | 'last_output'
    | 'last_seen'
  >
>;

/** Whether traffic may go to it: passing, and not in maintenance. */
export const inTraffic = (instance: Pick<Instance, 'status' | 'maintenance'>): boolean =>
  instance.status === 'passing' && instance.maintenance === null;

/** The 404 for an instance a service does not have (or no longer has). */
export const noSuchInstance = (serviceName: string, id: string): NotFoundError =>
  new NotFoundError(`no instance ${id} of service ${serviceName}`);

/** An instance's id within its service: `host:port`, which is also its HAProxy server name. */
export function instanceId(url: string): string {
  const { hostname, port, protocol } = new URL(url);
  return `${hostname.replace(/^\[|\]$/g, '')}:${port || (protocol === 'https:' ? '443' : '80')}`;
}

/**
 * The HAProxy server that should carry an instance (its backend is named like its service), routable
 * while the instance is passing, with its weight. One in maintenance drains for `drainMs` after it
 * entered it, then is put in HAProxy's maintenance.
 */
export function haproxyServer(
  instance: Pick<Instance, 'service_name' | 'id' | 'url' | 'status' | 'weight' | 'maintenance' | 'check'>,
  drainMs = 0,
  now = Date.now(),
): WantedServer {
  const { maintenance } = instance;
  return {
    backend: instance.service_name,
    id: instance.id,
    ...instanceAddress(instance.url),
    routable: instance.status === 'passing',
    // HAProxy's own check (the backend's HTTP check) for HTTP instances; the others follow the registry.
    selfChecked: instance.check.type === 'http',
    weight: instance.weight,
    hold: maintenance === null ? null : now - maintenance.since < drainMs ? 'drain' : 'maint',
  };
}

/** The address HAProxy should connect to for an instance. */
export function instanceAddress(url: string): { host: string; port: number } {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, '');
  return { host, port: Number(port) || (protocol === 'https:' ? 443 : 80) };
}
