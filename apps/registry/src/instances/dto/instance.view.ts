import type { Instance } from '../instance';

/**
 * An instance as the API shows it: its health state (`status`, consecutive failures and successes,
 * `critical_since`), times in ISO 8601, the HAProxy server (`backend/slot`) carrying it or null when
 * it has none, and a warning when a registration could not be routed.
 */
export type InstanceView = Omit<Instance, 'registered_at' | 'last_seen' | 'critical_since'> & {
  critical_since: string | null;
  registered_at: string;
  last_seen: string;
  haproxy_server: string | null;
  warning?: string;
};

const iso = (millis: number) => new Date(millis).toISOString();

/** The API's view of an instance record. */
export const toInstanceView = (instance: Instance, haproxyServer: string | null): InstanceView => ({
  ...instance,
  critical_since: instance.critical_since === null ? null : iso(instance.critical_since),
  registered_at: iso(instance.registered_at),
  last_seen: iso(instance.last_seen),
  haproxy_server: haproxyServer,
});
