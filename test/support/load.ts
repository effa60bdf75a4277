import { setTimeout as sleep } from 'node:timers/promises';
import { reasonOf } from './processes';

/** What a load run saw: requests that succeeded, failed, and when the failures happened. */
export interface LoadReport {
  ok: number;
  failed: number;
  failures: { at: number; reason: string }[];
}

/**
 * A small bounded load on loopback: `concurrency` loops each sending `send()` one after another
 * until stopped, or until `maxMs` passes. A request counts as failed when `send` throws or
 * resolves to false.
 */
export class Load {
  private stopped = false;
  private readonly loops: Promise<void>[];
  readonly report: LoadReport = { ok: 0, failed: 0, failures: [] };
  /** Who answered each successful request, when `send` tells (e.g. an instance's port). */
  readonly answeredBy: { at: number; by: unknown }[] = [];

  constructor(
    send: () => Promise<boolean | { by: unknown }>,
    concurrency = 4,
    private readonly maxMs = 120_000,
  ) {
    const deadline = Date.now() + maxMs;
    this.loops = Array.from({ length: concurrency }, async () => {
      while (!this.stopped && Date.now() < deadline) {
        try {
          const result = await send();
          if (result === false) throw new Error('unexpected answer');
          this.report.ok++;
          if (typeof result === 'object') this.answeredBy.push({ at: Date.now(), by: result.by });
        } catch (error) {
          this.report.failed++;
          this.report.failures.push({
            at: Date.now(),
            reason: reasonOf(error),
          });
          await sleep(5);
        }
      }
    });
  }

  /** Lets the load run for `ms`. */
  async for(ms: number): Promise<void> {
    await sleep(ms);
  }

  async stop(): Promise<LoadReport> {
    this.stopped = true;
    await Promise.all(this.loops);
    return this.report;
  }
}
