import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { RoundsRepository } from './rounds.repository';

/**
 * Keeps health-check work (rounds and rechecks) from overlapping: a mutex within the process and the
 * lease row across registry processes sharing the database. The lease lasts one interval and a little,
 * is renewed while work runs and kept after it, so the holder keeps leading and another process takes
 * over only about one interval after it dies (even mid-round, without releasing it).
 */
@Injectable()
export class CheckerLock implements OnApplicationShutdown {
  private readonly mutex = new Mutex();
  private readonly ttl: number;
  /** Who holds the lease; unique per process. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(REGISTRY_CONFIG) config: RegistryConfig,
    private readonly rounds: RoundsRepository,
  ) {
    this.ttl = config.HEALTH_CHECK_INTERVAL_MS + 2 * config.HEALTH_CHECK_TIMEOUT_MS;
  }

  /** True while this process runs health-check work. */
  get busy(): boolean {
    return this.mutex.isLocked();
  }

  /**
   * Runs `work` holding the mutex and the lease; undefined without running it when another process
   * holds the lease. `wait` queues behind this process's running work; otherwise a busy lock skips.
   */
  async run<T>(work: () => Promise<T>, wait: boolean): Promise<T | undefined> {
    if (!wait && this.busy) return undefined;
    return this.mutex.runExclusive(async () => {
      if (!this.rounds.tryAcquire(this.holder, this.ttl)) return undefined;
      const renewal = setInterval(() => this.rounds.extend(this.holder, this.ttl), this.ttl / 3);
      try {
        return await work();
      } finally {
        clearInterval(renewal);
        this.rounds.extend(this.holder, this.ttl);
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.mutex.waitForUnlock();
    this.rounds.release(this.holder);
  }
}
