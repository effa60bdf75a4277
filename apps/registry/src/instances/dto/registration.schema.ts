import { integerIn, unquoteIdentifier } from '@app/http';
import { z } from 'zod';
import { DEFAULT_CHECK, type Registration, WEIGHT } from '../instance';
import { checkSchema, healthPath, method, toCheckDefinition } from './check.schema';
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
  if (!check) return { ...fields, check: DEFAULT_CHECK };
  if (check.type !== 'http') return { ...fields, check: toCheckDefinition(check) };
  const { method: http = fields.http, path: health_path = fields.health_path } = check;
  return { ...fields, http, health_path, check: toCheckDefinition(check) };
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
