import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** Counts operations that failed because a store (`redis`, `dynamodb`, `sqlite`) did not answer. */
@Injectable()
export class StoreErrorMetrics {
  private readonly errors: Counter<'store'>;

  constructor(registry: Registry) {
    this.errors = new Counter({
      name: 'chirp_store_errors_total',
      help: 'Requests and health checks that failed because a store was unavailable, by store.',
      labelNames: ['store'],
      registers: [registry],
    });
  }

  /** Records one failure of `store`. */
  count(store: string): void {
    this.errors.inc({ store });
  }
}
