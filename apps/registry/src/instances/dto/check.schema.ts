import { unquoteIdentifier } from '@app/http';
import { z } from 'zod';
import type { CheckDefinition } from '../instance';
import { parseGoDuration } from './go-duration';

/** A path on the instance, never a URL: the registry only ever probes the registered host. */
export const healthPath = z
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

/** An HTTP check's method. */
export const method = z
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
export const checkSchema = z
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

/** The definition a parsed `check` stands for (`http`'s path and method are the registration's own fields). */
export function toCheckDefinition(check: z.output<typeof checkSchema>): CheckDefinition {
  if (check.type === 'ttl') return { type: 'ttl', ttl_ms: check.ttl };
  return { type: check.type, interval_ms: check.interval ?? null, timeout_ms: check.timeout ?? null };
}
