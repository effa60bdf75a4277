import { integerIn } from '@app/http';
import { z } from 'zod';
import { parseGoDuration } from '../../instances/dto/go-duration';

/** A repeatable parameter: one value or several, always a list. */
const repeatable = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string()).max(64));

/** Go's `strconv.ParseBool`, with a bare `?passing` (empty) meaning true, as Consul reads it. */
const goBool = z
  .string()
  .transform((v, ctx) => {
    if (v === '' || /^(1|t|T|TRUE|true|True)$/.test(v)) return true;
    if (/^(0|f|F|FALSE|false|False)$/.test(v)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false (or present with no value)' });
    return z.NEVER;
  })
  .optional();

const onlyDefault = (what: string) =>
  z
    .string()
    .refine((v) => v === '' || v === 'default', `only the default ${what} exists here`)
    .optional();

/**
 * The query parameters of Consul's reads as its Go client sends them (`api.QueryOptions`). `stale`,
 * `consistent`, `cached` and `near` are accepted and change nothing (one registry answers from its
 * store); `filter` is refused, since ignoring it would widen what a client gets.
 */
export const consulQuerySchema = z.object({
  index: integerIn(
    0,
    Number.MAX_SAFE_INTEGER,
    undefined,
    'must be a change index (X-Consul-Index) from an earlier answer',
  ).optional(),
  wait: z
    .string()
    .transform((v, ctx) => {
      const ms = parseGoDuration(v);
      if (ms === undefined)
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 60000ms or 1m30s' });
      return ms ?? z.NEVER;
    })
    .optional(),
  stale: z.string().optional(),
  consistent: z.string().optional(),
  dc: z.string().optional(),
  ns: onlyDefault('namespace'),
  partition: onlyDefault('partition'),
  filter: z
    .string()
    .refine(() => false, 'filter expressions are not supported')
    .optional(),
  tag: repeatable.default([]),
  passing: goBool,
  'node-meta': repeatable
    .refine((pairs) => pairs.every((pair) => pair.includes(':')), 'must be key:value')
    .default([]),
});

/** Consul's read options, parsed. */
export type ConsulQuery = z.output<typeof consulQuerySchema>;

/** A read of one service (`/v1/health/service/:name`, `/v1/catalog/service/:name`): any name, unknown ones list nothing. */
export const consulServiceQuery = consulQuerySchema.extend({ name: z.string().min(1).max(256) });
