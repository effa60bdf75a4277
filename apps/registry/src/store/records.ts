/** One health check as recorded (`checked_at` in epoch milliseconds). */
export interface CheckRecord {
  service_name: string;
  instance_id: string;
  url: string;
  checked_at: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  passed: boolean;
}

/** One health-check round as recorded (times in epoch milliseconds; `finished_at` null while it runs). */
export interface RoundRecord {
  seq: number;
  /** Who ran it: `host/pid/address/nonce` of the registry that led. */
  holder: string;
  /** The lease epoch it ran under. */
  epoch: number;
  started_at: number;
  finished_at: number | null;
  checked: number;
  failed: number;
  pruned: number;
  /** Passing instances left out of HAProxy after the round: their backend had no free slot. */
  unrouted: number;
  /** Prunes the failure threshold asked for but mass-failure protection held back. */
  withheld: number;
  /** Why they were withheld (which services, how many failed of how many); null when none were. */
  withheld_reason: string | null;
}

/** What a round found, as RoundLog.finish records it. */
export type RoundTally = Pick<
  RoundRecord,
  'checked' | 'failed' | 'pruned' | 'unrouted' | 'withheld' | 'withheld_reason'
>;

/** The checker's lease as stored: its holder ('' once released), record version number and epoch. */
export interface LeaseRecord {
  holder: string;
  rvn: string;
  epoch: number;
}

/** How many rounds the log keeps. */
export const ROUNDS_KEPT = 1_000;
