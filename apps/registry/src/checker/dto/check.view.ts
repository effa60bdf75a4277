import { count, isoTime, toIso } from '@app/http';
import { z } from 'zod';
import type { CheckRecord, RoundRecord } from '../../store/records';

/** A check as `GET /services/:name/health` shows it: times in ISO 8601, as everywhere in the API. */
export const checkView = z
  .object({
    service_name: z.string(),
    instance_id: z.string(),
    url: z.string(),
    checked_at: isoTime,
    status_code: z.number().int().nullable().meta({ description: 'null when no answer came' }),
    latency_ms: z.number().min(0),
    error: z.string().nullable(),
    passed: z.boolean(),
  })
  .meta({ id: 'Check', description: 'One health check of an instance.' });
export type CheckView = z.infer<typeof checkView>;

/** The API's view of a recorded check. */
export const toCheckView = (record: CheckRecord): CheckView => ({
  ...record,
  checked_at: toIso(record.checked_at),
});

/** `GET /services/:name/health`, and `GET /health-check?service_name=`: a service's latest checks. */
export const serviceChecksView = z
  .object({ service_name: z.string(), checks: z.array(checkView) })
  .meta({ id: 'ServiceChecks' });
export type ServiceChecksView = z.infer<typeof serviceChecksView>;

/** A round as `GET /rounds` shows it: ISO 8601 times (null while it runs) and its duration. */
export const roundView = z
  .object({
    seq: count,
    holder: z.string().meta({ description: 'The registry that ran it: `host/pid/address/nonce`' }),
    epoch: count.meta({ description: 'The lease epoch it ran under' }),
    started_at: isoTime,
    finished_at: isoTime.nullable().meta({ description: 'null while it runs' }),
    duration_ms: count.nullable(),
    checked: count,
    failed: count,
    pruned: count,
    unrouted: count.meta({ description: 'Passing instances whose backend had no free slot' }),
    withheld: count.meta({ description: 'Prunes mass-failure protection held back' }),
    withheld_reason: z.string().nullable(),
  })
  .meta({ id: 'Round', description: 'One health-check round.' });
export type RoundView = z.infer<typeof roundView>;

/** The API's view of a recorded round. */
export const toRoundView = ({ started_at, finished_at, ...round }: RoundRecord): RoundView => ({
  ...round,
  started_at: toIso(started_at),
  finished_at: finished_at === null ? null : toIso(finished_at),
  duration_ms: finished_at === null ? null : finished_at - started_at,
});

/** `GET /rounds`. */
export const roundsView = z.object({ rounds: z.array(roundView) }).meta({ id: 'Rounds' });
export type RoundsView = z.infer<typeof roundsView>;
