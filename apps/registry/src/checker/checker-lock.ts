import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { advertiseUrl } from '@app/config';
import { Mutex } from 'async-mutex';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { CheckerLease, type Fence, FencedError } from '../store/registry-store';

/** The lease ran out here (on this process's monotonic clock) before a write: it must not be made. */
export class LeaseExpiredError extends Error {
  override readonly name = 'LeaseExpiredError';
}

/**
 * Keeps health-check work (rounds and rechecks) to one registry at a time: a mutex within the process
 * and a fenced lease across the registries sharing the store, kept as the AWS DynamoDB Lock Client
 * keeps one. The holder replaces a random record version number (RVN) every lease/3; a registry that
 * sees the same RVN for a whole lease on its own monotonic clock takes the lease over, conditioned on
 * that RVN, and the grant adds 1 to the epoch. No wall clock is compared, so a registry with a wrong
 * clock steals nothing. Every write the work makes carries the epoch ({@link fence}) and the store
 * refuses it once the lease has moved on; before each write the local deadline (the last successful
 * renewal's start plus a lease) is checked too, so a paused leader stops before the store has to say so.
 */
@Injectable()
export class CheckerLock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CheckerLock.name);
  private readonly mutex = new Mutex();
  private readonly leaseMs: number;
  /** Who holds the lease: host, process, the registry's address and a nonce, unique per process. */
  readonly holder: string;
  private held?: { epoch: number; deadline: number };
  /** The other holder's RVN as first seen, and when (monotonic ms). */
  private seen?: { rvn: string; since: number };
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private storeFailing = false;
  private readonly leadListeners: (() => void)[] = [];

  constructor(
    @Inject(REGISTRY_CONFIG) config: RegistryConfig,
    private readonly lease: CheckerLease,
    private readonly metrics: RegistryMetrics,
  ) {
    this.leaseMs = config.REGISTRY_LEASE_MS;
    this.holder = `${hostname()}/${process.pid}/${advertiseUrl(config)}/${randomUUID().slice(0, 8)}`;
    metrics.countLeadership(() => this.leading);
  }

  onApplicationBootstrap(): void {
    void this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), this.leaseMs / 3);
  }

  /** True while this registry holds the lease and its local deadline has not passed. */
  get leading(): boolean {
    return this.held !== undefined && performance.now() < this.held.deadline;
  }

  /** The epoch this registry leads under, for a write about to be made; throws once the lease ran out here. */
  fence(): Fence {
    if (!this.held || !this.leading)
      throw new LeaseExpiredError('the checker lease ran out before this write');
    return { epoch: this.held.epoch };
  }

  /** The lease's holder and epoch as the store has them, and whether this registry is that holder. */
  async leadership(): Promise<{ holder: string | null; epoch: number; this_registry: boolean }> {
    const lease = await this.lease.read();
    return {
      holder: lease?.holder || null,
      epoch: lease?.epoch ?? 0,
      this_registry: this.leading && lease?.holder === this.holder,
    };
  }

  /** Calls `listener` each time this registry starts leading (a new leader checks at once). */
  onLead(listener: () => void): void {
    this.leadListeners.push(listener);
  }

  /** True while this process runs health-check work. */
  get busy(): boolean {
    return this.mutex.isLocked();
  }

  /**
   * Runs `work` holding the mutex while this registry leads; undefined without running it when it does
   * not. `wait` queues behind this process's running work; otherwise a busy lock skips. A write the
   * store fenced off (or the lease running out here) ends the work and this registry's leadership.
   */
  async run<T>(work: () => Promise<T>, wait: boolean): Promise<T | undefined> {
    if (!wait && this.busy) return undefined;
    return this.mutex.runExclusive(async () => {
      if (!this.leading) return undefined;
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof FencedError || error instanceof LeaseExpiredError)) throw error;
        this.metrics.fenced();
        this.stepDown(error.message);
        return undefined;
      }
    });
  }

  /** One heartbeat: renew the lease if held, otherwise watch it and take it once its holder is gone. */
  heartbeat(): Promise<void> {
    this.beating ??= this.beat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await this.mutex.waitForUnlock();
    if (this.held) await this.lease.release(this.holder, this.held.epoch).catch(() => undefined);
    this.held = undefined;
  }

  private async beat(): Promise<void> {
    const sent = performance.now();
    try {
      if (this.held) {
        if (await this.lease.renew(this.holder, this.held.epoch, randomUUID())) {
          this.held.deadline = sent + this.leaseMs;
        } else {
          this.stepDown('the lease was taken over');
        }
      } else {
        await this.watch(sent);
      }
      if (this.storeFailing) this.logger.log('the store answers the lease again');
      this.storeFailing = false;
    } catch (error) {
      if (!this.storeFailing) this.logger.warn(`lease not renewed or read: ${(error as Error).message}`);
      this.storeFailing = true;
    }
  }

  private async watch(sent: number): Promise<void> {
    const lease = await this.lease.read();
    const seenAt = performance.now();
    const free = !lease || lease.holder === '';
    if (!free && this.seen?.rvn !== lease.rvn) {
      this.seen = { rvn: lease.rvn, since: seenAt };
      return;
    }
    if (!free && seenAt - this.seen!.since < this.leaseMs) return;
    const epoch = await this.lease.take(this.holder, lease?.rvn ?? null, randomUUID());
    this.seen = undefined;
    if (epoch === undefined) return;
    this.held = { epoch, deadline: sent + this.leaseMs };
    this.logger.log(`leads the health checks (lease epoch ${epoch})`);
    for (const listener of this.leadListeners) listener();
  }

  private stepDown(why: string): void {
    if (!this.held) return;
    this.logger.warn(`no longer leads the health checks (epoch ${this.held.epoch}): ${why}`);
    this.held = undefined;
  }
}
