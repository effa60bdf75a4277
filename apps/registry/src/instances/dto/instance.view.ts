import { count, isoTime, toIso } from '@app/http';
import { z } from 'zod';
import { type CheckDefinition, type Instance, WEIGHT } from '../instance';

/**
 * An instance as the API shows it: its health state (`status`, consecutive failures and successes,
 * `critical_since`), its weight and maintenance, times in ISO 8601, the HAProxy server (`backend/slot`) carrying it or null when
 * it has none, and a warning when a registration could not be routed.
 */
export const instanceView = z
  .object({
    id: z.string().meta({ description: '`host:port`, unique within its service' }),
    service_name: z.string(),
    url: z.url(),
    http: z.enum(['GET', 'HEAD']),
    health_path: z.string(),
    tags: z.array(z.string()),
    meta: z.record(z.string(), z.string()),
    status: z.enum(['passing', 'critical']),
    check: z
      .object({
        type: z.enum(['http', 'tcp', 'ttl']),
        interval_ms: z.int().positive().nullable(),
        timeout_ms: z.int().positive().nullable(),
        ttl_ms: z.int().positive().nullable(),
      })
      .meta({
        description:
          "How it is checked; `interval_ms` and `timeout_ms` null: the registry's own (`ttl_ms` is a TTL check's)",
      }),
    ttl: z
      .object({ status: z.enum(['passing', 'critical']), output: z.string(), expires_at: isoTime })
      .nullable()
      .meta({ description: "A TTL check's last report, and when its TTL lapses; null for other checks" }),
    weight: z
      .int()
      .min(WEIGHT.min)
      .max(WEIGHT.max)
      .meta({ description: "Its share of its backend's traffic in HAProxy; 0 takes no new requests" }),
    maintenance: z.object({ reason: z.string(), since: isoTime }).nullable().meta({
      description:
        'Set while an operator holds it out of traffic: it is neither checked nor pruned meanwhile',
    }),
    consecutive_failures: count,
    consecutive_successes: count,
    critical_since: isoTime
      .nullable()
      .meta({ description: 'When it last turned critical; null while passing' }),
    last_output: z.string().meta({ description: 'What its last check saw; empty until checked' }),
    registered_at: isoTime,
    last_seen: isoTime,
    haproxy_server: z
      .string()
      .nullable()
      .meta({ description: 'The HAProxy server (`backend/slot`) carrying it; null when none does' }),
    warning: z.string().optional().meta({ description: 'Why a registration is not routed' }),
  })
  .meta({ id: 'Instance', description: 'A registered instance and its health state.' });
export type InstanceView = z.infer<typeof instanceView>;

const toCheckView = (check: CheckDefinition) =>
  check.type === 'ttl'
    ? { type: check.type, interval_ms: null, timeout_ms: null, ttl_ms: check.ttl_ms }
    : { ...check, ttl_ms: null };

/** The API's view of an instance record. */
export const toInstanceView = (instance: Instance, haproxyServer: string | null): InstanceView => ({
  ...instance,
  critical_since: instance.critical_since === null ? null : toIso(instance.critical_since),
  maintenance: instance.maintenance && { ...instance.maintenance, since: toIso(instance.maintenance.since) },
  check: toCheckView(instance.check),
  ttl: instance.ttl && { ...instance.ttl, expires_at: toIso(instance.ttl.expires_at) },
  registered_at: toIso(instance.registered_at),
  last_seen: toIso(instance.last_seen),
  haproxy_server: haproxyServer,
});

/** `GET /services`: every instance of every service, whatever its state. */
export const servicesView = z.object({ services: z.array(instanceView) }).meta({ id: 'Services' });
export type ServicesView = z.infer<typeof servicesView>;

/** `GET /services/:name/instances`: a service's passing instances. */
export const serviceInstancesView = z
  .object({ service_name: z.string(), instances: z.array(instanceView) })
  .meta({ id: 'ServiceInstances' });
export type ServiceInstancesView = z.infer<typeof serviceInstancesView>;
