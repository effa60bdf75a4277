import { z } from 'zod';
import { type Instance, instanceAddress } from '../../instances/instance';
import { appsHashcode, EUREKA_ID_KEY, EUREKA_STATUSES, eurekaStatus } from './eureka-status';

const DEFAULT_LEASE_S = 90;
const status = z.enum(EUREKA_STATUSES);
const port = z.object({ $: z.int(), '@enabled': z.enum(['true', 'false']) });
const timestamp = z.string().regex(/^\d+$/);

/** Eureka's `InstanceInfo` as its JSON codec writes it (the XML has the same names; `@` are attributes). */
export const eurekaInstance = z
  .object({
    instanceId: z.string(),
    hostName: z.string(),
    app: z.string(),
    ipAddr: z.string(),
    status,
    overriddenStatus: status,
    port,
    securePort: port,
    countryId: z.int(),
    dataCenterInfo: z.object({ '@class': z.string(), name: z.string() }),
    leaseInfo: z.object({
      renewalIntervalInSecs: z.int(),
      durationInSecs: z.int(),
      registrationTimestamp: z.int(),
      lastRenewalTimestamp: z.int(),
      evictionTimestamp: z.int(),
      serviceUpTimestamp: z.int(),
    }),
    metadata: z.record(z.string(), z.string()),
    homePageUrl: z.string(),
    statusPageUrl: z.string(),
    healthCheckUrl: z.string(),
    vipAddress: z.string(),
    secureVipAddress: z.string(),
    isCoordinatingDiscoveryServer: z.enum(['true', 'false']),
    lastUpdatedTimestamp: timestamp,
    lastDirtyTimestamp: timestamp,
    actionType: z.enum(['ADDED', 'MODIFIED', 'DELETED']),
  })
  .meta({ id: 'EurekaInstance', description: "An instance as Eureka's InstanceInfo" });
export type EurekaInstance = z.infer<typeof eurekaInstance>;

const application = z
  .object({ name: z.string(), instance: z.array(eurekaInstance) })
  .meta({ id: 'EurekaApplication' });
export type EurekaApplication = z.infer<typeof application>;

/** `GET /eureka/apps/:app`. */
export const eurekaApplicationView = z.object({ application }).meta({ id: 'EurekaApplicationAnswer' });

/** `GET /eureka/apps/:app/:id` and `/eureka/instances/:id`. */
export const eurekaInstanceView = z.object({ instance: eurekaInstance }).meta({ id: 'EurekaInstanceAnswer' });

/** `GET /eureka/apps`, `/eureka/apps/delta` and `/eureka/vips/:vip`. */
export const eurekaApplicationsView = z
  .object({
    applications: z.object({
      versions__delta: z.string(),
      apps__hashcode: z.string(),
      application: z.array(application),
    }),
  })
  .meta({ id: 'EurekaApplications', description: "Eureka's Applications" });
export type EurekaApplicationsView = z.infer<typeof eurekaApplicationsView>;

/** The Eureka name of a service (Eureka's app names are upper case). */
export const appName = (service: string): string => service.toUpperCase();

/** The id an Eureka client knows an instance by: the one it registered with, else Chirp's. */
export const eurekaId = (instance: Pick<Instance, 'id' | 'meta'>): string =>
  instance.meta[EUREKA_ID_KEY] ?? instance.id;

/** An instance as Eureka's `InstanceInfo`. */
export function toEurekaInstance(
  instance: Instance,
  actionType: EurekaInstance['actionType'] = 'ADDED',
): EurekaInstance {
  const { host, port: number } = instanceAddress(instance.url);
  const secure = instance.url.startsWith('https:');
  const metadata = Object.fromEntries(Object.entries(instance.meta).filter(([key]) => key !== EUREKA_ID_KEY));
  const lease = instance.check.type === 'ttl' ? Math.round(instance.check.ttl_ms / 1000) : DEFAULT_LEASE_S;
  return {
    instanceId: eurekaId(instance),
    hostName: host,
    app: appName(instance.service_name),
    ipAddr: host,
    status: eurekaStatus(instance),
    overriddenStatus: instance.maintenance ? 'OUT_OF_SERVICE' : 'UNKNOWN',
    port: { $: secure ? 80 : number, '@enabled': secure ? 'false' : 'true' },
    securePort: { $: secure ? number : 443, '@enabled': secure ? 'true' : 'false' },
    countryId: 1,
    dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
    leaseInfo: {
      renewalIntervalInSecs: Math.max(1, Math.round(lease / 3)),
      durationInSecs: lease,
      registrationTimestamp: instance.registered_at,
      lastRenewalTimestamp: instance.last_seen,
      evictionTimestamp: 0,
      serviceUpTimestamp: instance.registered_at,
    },
    metadata: Object.keys(metadata).length ? metadata : { '@class': 'java.util.Collections$EmptyMap' },
    homePageUrl: `${instance.url}/`,
    statusPageUrl: `${instance.url}${instance.health_path}`,
    healthCheckUrl: `${instance.url}${instance.health_path}`,
    vipAddress: instance.service_name,
    secureVipAddress: instance.service_name,
    isCoordinatingDiscoveryServer: 'false',
    lastUpdatedTimestamp: String(instance.last_seen),
    lastDirtyTimestamp: String(instance.last_seen),
    actionType,
  };
}

/** Instances grouped into Eureka's applications, in the order given. */
export function toApplications(instances: EurekaInstance[]): EurekaApplication[] {
  const apps = new Map<string, EurekaInstance[]>();
  for (const instance of instances) apps.set(instance.app, [...(apps.get(instance.app) ?? []), instance]);
  return [...apps].map(([name, instance]) => ({ name, instance }));
}

/**
 * Eureka's `Applications`: `versions__delta` is 1 for a full registry (as Eureka answers) and the change
 * index for a delta; `apps__hashcode` is always the whole registry's, so that a client can check the
 * registry it merged.
 */
export function toApplicationsView(
  shown: EurekaInstance[],
  all: Instance[],
  version: number,
): EurekaApplicationsView {
  return {
    applications: {
      versions__delta: String(version),
      apps__hashcode: appsHashcode(all.map(eurekaStatus)),
      application: toApplications(shown),
    },
  };
}
