import type { CheckRecord, RoundRecord } from '../../store/records';

/** A check as `GET /services/:name/health` shows it: times in ISO 8601, as everywhere in the API. */
export type CheckView = Omit<CheckRecord, 'checked_at'> & { checked_at: string };

/** The API's view of a recorded check. */
export const toCheckView = (record: CheckRecord): CheckView => ({
  ...record,
  checked_at: new Date(record.checked_at).toISOString(),
});

/** A round as `GET /rounds` shows it: ISO 8601 times (null while it runs) and its duration. */
export type RoundView = Omit<RoundRecord, 'started_at' | 'finished_at'> & {
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
};

/** The API's view of a recorded round. */
export const toRoundView = ({ started_at, finished_at, ...round }: RoundRecord): RoundView => ({
  ...round,
  started_at: new Date(started_at).toISOString(),
  finished_at: finished_at === null ? null : new Date(finished_at).toISOString(),
  duration_ms: finished_at === null ? null : finished_at - started_at,
});
