import { integerIn, unquoteIdentifier } from '@app/http';
import { z } from 'zod';
import { type CheckDefinition, type Registration, WEIGHT } from '../instance';
import { parseGoDuration } from './go-duration';
import { metaSchema, tagFilterSchema, tagsSchema } from './labels.schema';

/** HAProxy's server weight: 0 (no new traffic) to 256. */
const weight = integerIn(WEIGHT.min, WEIGHT.max);

/** Service names as HAProxy backends and URLs can carry them. */
export const serviceName = z.preprocess(
  unquoteIdentifier,
  z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_-]{0,62}$/,
      'must be 1-63 letters, digits, "-" or "_", starting with a letter',
    ),
);

/** An instance's base URL: http(s), no credentials, no path, query or fragment. */
const instanceUrl = z.preprocess(
  unquoteIdentifier,
  z
    .string()
    .max(2048)
    .transform((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
        return z.NEVER;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: 'must use http or https' });
      } else if (url.username || url.password) {
        ctx.addIssue({ code: 'custom', message: 'must not carry credentials' });
      } else if (url.port === '0') {
        // WHATWG URL keeps port 0 (it drops only a scheme's default): nothing listens there.
        ctx.addIssue({ code: 'custom', message: 'must have a port from 1 to 65535' });
      } else if (url.pathname !== '/' || url.search || url.hash) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a base URL (no path, query or fragment); use health_path',
        });
      }
      return url.origin;
    }),
);

/** A path on the instance, never a URL: the registry only ever probes the registered host. */
const healthPath = z
  .string()
  .max(512)
  .regex(/^\/(?!\/)[A-Za-z0-9\-._~/%]*$/, 'must be a path such as /health-check');

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** A Go duration (`10s`, `500ms`, `1m30s`) from `min` to `max` milliseconds, read as milliseconds. */
function duration(min: number, max: number, bounds: string) {
  const message = `must be a duration from ${bounds}, such as 10s or 500ms`;
  return z
    .string({ error: message })
    .transform((text, ctx) => {
      const ms = parseGoDuration(text);
      if (ms === undefined || ms < min || ms > max) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return Math.round(ms);
    })
    .meta({ description: `A duration from ${bounds} (\`10s\`, \`500ms\`, \`1m30s\`)` });
}

const method = z
  .preprocess(unquoteIdentifier, z.string())
  .transform((v) => v.toUpperCase())
  .pipe(z.enum(['GET', 'HEAD']));

const probed = {
  interval: duration(SECOND, 10 * MINUTE, '1s to 10m').optional(),
  timeout: duration(1, 10 * MINUTE, '1ms to 10m').optional(),
};

/**
 * `check` on registration (Consul's check definition): `http` (the seed's `health_path` and `http`,
 * spelled `path` and `method` here), `tcp` (a connect to the instance's host and port) or `ttl` (the
 * instance reports); intervals and timeouts default to the registry's.
 */
const checkSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('http'),
        path: healthPath.optional(),
        method: method.optional(),
        ...probed,
      }),
      z.strictObject({ type: z.literal('tcp'), ...probed }),
      z.strictObject({ type: z.literal('ttl'), ttl: duration(SECOND, 60 * MINUTE, '1s to 1h') }),
    ],
    { error: 'must be an object with a type of http, tcp or ttl' },
  )
  .refine(
    (check) => !('timeout' in check) || !check.timeout || !check.interval || check.timeout <= check.interval,
    {
      message: 'must be at most the interval',
      path: ['timeout'],
    },
  );

/** Body, form or query of `POST /services` and the seed's `POST /new/service`. */
export const registrationSchema = z.object({
  service_name: serviceName,
  url: instanceUrl,
  http: method.default('GET'),
  health_path: healthPath.default('/health-check'),
  check: checkSchema.optional(),
  tags: tagsSchema.default([]),
  meta: metaSchema.default({}),
  // Absent: a new instance weighs 1 and a known one keeps its weight (see Registration).
  weight: weight.optional(),
});

/** The registration a parsed body asks for: `check`'s path and method stand for `health_path` and `http`. */
export function toRegistration({ check, ...fields }: z.output<typeof registrationSchema>): Registration {
  if (!check) return { ...fields, check: { type: 'http', interval_ms: null, timeout_ms: null } };
  if (check.type === 'ttl') return { ...fields, check: { type: 'ttl', ttl_ms: check.ttl } };
  const definition: CheckDefinition = {
    type: check.type,
    interval_ms: check.interval ?? null,
    timeout_ms: check.timeout ?? null,
  };
  if (check.type === 'tcp') return { ...fields, check: definition };
  return {
    ...fields,
    http: check.method ?? fields.http,
    health_path: check.path ?? fields.health_path,
    check: definition,
  };
}

/** The seed's `POST /service/exists`: a service name and URL. */
export const lookupSchema = registrationSchema.pick({ service_name: true, url: true });

/** Path parameters naming one instance. */
// An id past the router's 100-character limit on a path parameter never gets here (a 414).
export const instanceParams = z.object({ name: serviceName, id: z.string().min(1).max(100) });

/** `PUT /services/:name/instances/:id/weight`. */
export const weightSchema = instanceParams.extend({ weight });

/** Path parameters naming one service. */
export const serviceParams = z.object({ name: serviceName });

/** `GET /services/:name/instances`: the service, and `?tag=` (repeatable) to keep those carrying every tag. */
export const healthyQuery = serviceParams.extend({ tag: tagFilterSchema.default([]) });

/** The seed's `POST /urls/healths`: a check result reported by hand. */
export const reportedHealthSchema = z.object({
  service_name: serviceName,
  url: instanceUrl,
  status_code: z.preprocess(unquoteIdentifier, integerIn(100, 599)),
});
