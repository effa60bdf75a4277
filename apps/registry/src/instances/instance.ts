import type { WantedServer } from '../haproxy/slots';

/** `passing` instances receive traffic; `critical` ones failed their last check and receive none. */
export type InstanceStatus = 'passing' | 'critical';

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
  status: InstanceStatus;
  consecutive_failures: number;
  consecutive_successes: number;
  /** When it last turned critical; null while passing. */
  critical_since: number | null;
  /** What its last check saw (`HTTP GET http://…/health-check: 200 OK`); empty until checked. */
  last_output: string;
  registered_at: number;
  last_seen: number;
}

/** What a caller supplies to register an instance. */
export type Registration = Pick<Instance, 'service_name' | 'url' | 'http' | 'health_path' | 'tags' | 'meta'>;

/** An instance's id within its service: `host:port`, which is also its HAProxy server name. */
export function instanceId(url: string): string {
  const { hostname, port, protocol } = new URL(url);
  return `${hostname.replace(/^\[|\]$/g, '')}:${port || (protocol === 'https:' ? '443' : '80')}`;
}

/**
 * The HAProxy server that should carry an instance (its backend is named like its service), routable
 * while the instance is passing.
 */
export function haproxyServer(
  instance: Pick<Instance, 'service_name' | 'id' | 'url' | 'status'>,
): WantedServer {
  return {
    backend: instance.service_name,
    id: instance.id,
    ...instanceAddress(instance.url),
    routable: instance.status === 'passing',
  };
}

/** The address HAProxy should connect to for an instance. */
export function instanceAddress(url: string): { host: string; port: number } {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, '');
  return { host, port: Number(port) || (protocol === 'https:' ? 443 : 80) };
}
