import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/**
 * What the repair of the open intents does, for Prometheus: its runs by result, and the intents it
 * closed. Intents it closes are mostly changes whose indexes an instance did not write (it died, or
 * Redis failed the writes), some changes it met in flight; a failed run is one Redis cut short (away,
 * or refusing a command).
 */
@Injectable()
export class RepairMetrics {
  private readonly runs: Counter<'result'>;
  private readonly intents: Counter;

  constructor(registry: Registry) {
    this.runs = new Counter({
      name: 'chirp_likes_repair_runs_total',
      help: 'Runs of the repair of the open intents (at start, then on its timer), by result (done, failed).',
      labelNames: ['result'],
      registers: [registry],
    });
    this.intents = new Counter({
      name: 'chirp_likes_repair_intents_closed_total',
      help: 'Open intents (changes whose indexes were not written yet) the repair closed.',
      registers: [registry],
    });
  }

  /** Records a finished run that closed `intents`. */
  done(intents: number): void {
    this.runs.inc({ result: 'done' });
    this.intents.inc(intents);
  }

  /** Records a run that Redis cut short (away, or refusing a command). */
  failed(): void {
    this.runs.inc({ result: 'failed' });
  }
}
