import type { Instance } from '../instance';

/**
 * An instance as the API shows it: times in ISO 8601, the HAProxy server (`backend/slot`) carrying
 * it or null when it is not routed, and a warning when a registration could not be routed.
 */
export type InstanceView = Omit<Instance, 'registered_at' | 'last_seen'> & {
  registered_at: string;
  last_seen: string;
  haproxy_server: string | null;
  warning?: string;
};

/** The API's view of an instance record. */
export const toInstanceView = (instance: Instance, haproxyServer: string | null): InstanceView => ({
  ...instance,
  registered_at: new Date(instance.registered_at).toISOString(),
  last_seen: new Date(instance.last_seen).toISOString(),
  haproxy_server: haproxyServer,
});
