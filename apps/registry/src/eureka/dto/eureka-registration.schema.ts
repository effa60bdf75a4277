import { RejectedError } from '@app/errors';
import { integerIn } from '@app/http';
import { z } from 'zod';
import { metaSchema } from '../../instances/dto/labels.schema';
import { serviceName } from '../../instances/dto/registration.schema';
import { EUREKA_ID_KEY, EUREKA_STATUSES } from './eureka-status';

/** An app name as Eureka clients send it (any case); the service is its lower case. */
const app = z.preprocess((name) => (typeof name === 'string' ? name.toLowerCase() : name), serviceName);

/** A port as Eureka's JSON (`{"$": 8080, "@enabled": "true"}`) or XML (`<port enabled="true">8080</port>`) gives it. */
const port = z.union([
  integerIn(1, 65535),
  z.object({
    $: integerIn(1, 65535),
    '@enabled': z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  }),
]);
type Port = z.output<typeof port>;
const enabled = (p: Port | undefined): number | undefined =>
  p === undefined
    ? undefined
    : typeof p === 'number'
      ? p
      : String(p['@enabled'] ?? 'true') === 'true'
        ? p.$
        : undefined;

/** Metadata keys as Chirp's meta takes them (Eureka's may hold dots: `management.port`). */
const metadata = z.preprocess(
  (pairs) =>
    pairs !== null && typeof pairs === 'object' && !Array.isArray(pairs)
      ? Object.fromEntries(
          Object.entries(pairs)
            .filter(([key]) => key !== '@class')
            .map(([key, value]) => [key.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128), value]),
        )
      : pairs,
  metaSchema,
);

/** A host name, or an IPv4 or IPv6 address (the URL is built from it, so nothing else may pass). */
const host = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45})$/,
    'must be a host name or an IP address',
  );

/** Eureka's `InstanceInfo`, the fields Chirp reads; the others are accepted and ignored. */
const instanceInfo = z
  .looseObject({
    app,
    instanceId: z.string().min(1).max(100).optional(),
    hostName: host.optional(),
    ipAddr: host.optional(),
    status: z.enum(EUREKA_STATUSES, { error: `must be one of ${EUREKA_STATUSES.join(', ')}` }).default('UP'),
    port: port.optional(),
    securePort: port.optional(),
    leaseInfo: z.looseObject({ durationInSecs: integerIn(1, 3_600).optional() }).optional(),
    metadata: metadata.optional(),
  })
  .refine((info) => info.ipAddr ?? info.hostName, {
    message: 'needs an ipAddr or a hostName',
    path: ['ipAddr'],
  })
  .refine((info) => enabled(info.port) ?? enabled(info.securePort), {
    message: 'needs an enabled port or securePort',
    path: ['port'],
  });

/**
 * `POST /eureka/apps/:app`: an `{"instance": …}` body, JSON or XML, for the app in the path (that the
 * two name the same app is checked by {@link fromEureka}: a refinement here would hide the fields from
 * the document).
 */
export const eurekaRegistrationSchema = z.object({ app, instance: instanceInfo });
export type EurekaRegistration = z.output<typeof eurekaRegistrationSchema>;

/** The registration an Eureka client asks for, in Chirp's terms. */
export function fromEureka({ app: path, instance }: EurekaRegistration) {
  if (instance.app !== path) throw new RejectedError('instance.app: must name the app of the path');
  const host = (instance.ipAddr ?? instance.hostName)!;
  const plain = enabled(instance.port);
  const url = `${plain === undefined ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${plain ?? enabled(instance.securePort)}`;
  const meta = { ...instance.metadata };
  if (instance.instanceId) meta[EUREKA_ID_KEY] = instance.instanceId;
  return {
    url,
    meta,
    ttlMs: (instance.leaseInfo?.durationInSecs ?? 90) * 1000,
    status: instance.status,
  };
}

/** Path parameters naming one Eureka instance. */
export const eurekaInstanceParams = z.object({ app, id: z.string().min(1).max(100) });

/** `PUT|DELETE /eureka/apps/:app/:id/status?value=`: the override (`value` optional on DELETE). */
export const eurekaStatusSchema = eurekaInstanceParams.extend({
  value: z.enum(EUREKA_STATUSES, { error: `must be one of ${EUREKA_STATUSES.join(', ')}` }),
});
export const eurekaOverrideRemoval = eurekaStatusSchema.partial({ value: true });

/** `PUT /eureka/apps/:app/:id/metadata?key=value…`: the instance, and any pairs beside (see {@link metadataPairs}). */
export const eurekaMetadataSchema = z.looseObject({ app, id: z.string().min(1).max(100) });

/** The pairs of a metadata update, as registrations' metadata are read. */
export const metadataPairs = metadata;

/** `GET /eureka/apps/:app`, `/eureka/vips/:vip`. */
export const eurekaAppParams = z.object({ app });
export const eurekaVipParams = z.object({ vip: app });
export const eurekaIdParams = z.object({ id: z.string().min(1).max(100) });
