import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Mutex, Semaphore } from 'async-mutex';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { HaproxyMembership } from '../haproxy/haproxy-membership';
import { InstancesRepository } from '../instances/instances.repository';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ChecksRepository } from './checks.repository';
import { HealthProbe } from './health-probe';
import { type RoundTally, RoundsRepository } from './rounds.repository';

const ROUND = 'health-check-round';
const FIRST_ROUND = 'first-health-check-round';
/** How soon after boot the first round runs, so records left by a previous run are checked early. */
const FIRST_ROUND_AFTER_MS = 5_000;

/**
 * Every HEALTH_CHECK_INTERVAL_MS, probes every instance in parallel (capped), records the results,
 * prunes instances after HEALTH_FAILURES_BEFORE_PRUNE failures in a row and reconciles HAProxy
 * (counting the passing instances its backends have no free slot for).
 * Rounds never overlap: a mutex within the process, a lease row across processes.
 */
@Injectable()
export class HealthChecker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HealthChecker.name);
  private readonly mutex = new Mutex();
  private readonly semaphore: Semaphore;
  private timer?: NodeJS.Timeout;
  /** Who holds the lease; unique per process. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly probe: HealthProbe,
    private readonly instances: InstancesRepository,
    private readonly checks: ChecksRepository,
    private readonly rounds: RoundsRepository,
    private readonly haproxy: HaproxyMembership,
    private readonly metrics: RegistryMetrics,
  ) {
    this.semaphore = new Semaphore(config.HEALTH_CHECK_CONCURRENCY);
  }

  onApplicationBootstrap(): void {
    const interval = this.config.HEALTH_CHECK_INTERVAL_MS;
    this.timer = setInterval(() => void this.tick(), interval);
    this.scheduler.addInterval(ROUND, this.timer);
    // After a full stop (Ctrl-C stops every process at once, so none could deregister) the table
    // still lists the old instances; check them soon rather than an interval later.
    if (interval > FIRST_ROUND_AFTER_MS) {
      this.scheduler.addTimeout(
        FIRST_ROUND,
        setTimeout(() => void this.tick(), FIRST_ROUND_AFTER_MS),
      );
    }
    // A restarted registry reads back HAProxy's slots (keeping every assignment) at once, not a round later.
    void this.haproxy.reconcile(this.instances.routable);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer); // the schedule module may have cleared it already; harmless
    await this.mutex.waitForUnlock();
    this.rounds.release(this.holder);
  }

  /** Runs a round unless one is running; returns its summary, or undefined when skipped. */
  async tick(): Promise<RoundTally | undefined> {
    if (this.mutex.isLocked()) {
      this.logger.warn('previous health-check round still running; skipping this one');
      return undefined;
    }
    return this.mutex.runExclusive(() => this.round());
  }

  private async round(): Promise<RoundTally | undefined> {
    const { HEALTH_CHECK_INTERVAL_MS: interval, HEALTH_CHECK_TIMEOUT_MS: timeout } = this.config;
    // The lease lasts one interval and a little; it is renewed while a long round runs, so a holder
    // that dies (even mid-round, without releasing it) is replaced within about one interval.
    const ttl = interval + 2 * timeout;
    if (!this.rounds.tryAcquire(this.holder, ttl)) return undefined;
    const renewal = setInterval(() => this.rounds.extend(this.holder, ttl), ttl / 3);
    const seq = this.rounds.start(this.holder);
    const started = performance.now();
    let summary: RoundTally = { checked: 0, failed: 0, pruned: 0, unrouted: 0 };
    try {
      summary = await this.checkAll();
      return summary;
    } catch (error) {
      this.logger.error(`health-check round failed: ${String(error)}`);
      return undefined;
    } finally {
      clearInterval(renewal);
      this.rounds.finish(seq, summary);
      this.metrics.round((performance.now() - started) / 1000);
      // Keep leading: another process takes over only if this one misses a round.
      this.rounds.extend(this.holder, ttl);
    }
  }

  private async checkAll(): Promise<RoundTally> {
    const probedAt = Date.now();
    const instances = this.instances.all();
    const results = await Promise.all(
      instances.map((instance) =>
        this.semaphore.runExclusive(async () => ({ instance, result: await this.probe.probe(instance) })),
      ),
    );
    const checkedAt = Date.now();
    for (const { instance, result } of results) this.metrics.check(instance.service_name, result.passed);
    this.checks.append(
      results.map(({ instance, result }) => ({
        service_name: instance.service_name,
        instance_id: instance.id,
        url: instance.url,
        checked_at: checkedAt,
        ...result,
      })),
      this.config.HEALTH_HISTORY_LIMIT,
    );
    const pruned = this.instances.applyOutcomes(
      results.map(({ instance, result }) => ({ ...instance, passed: result.passed })),
      this.config.HEALTH_FAILURES_BEFORE_PRUNE,
      probedAt,
    );
    for (const instance of pruned) {
      this.logger.warn(
        `pruned ${instance.service_name} ${instance.url} after ${instance.consecutive_failures} failed check(s)`,
      );
    }
    // The pruned records are gone, so the reconcile empties their slots.
    const synced = await this.haproxy.reconcile(this.instances.routable);
    return {
      checked: results.length,
      failed: results.filter((r) => !r.result.passed).length,
      pruned: pruned.length,
      unrouted: synced?.unrouted.length ?? 0,
    };
  }
}
