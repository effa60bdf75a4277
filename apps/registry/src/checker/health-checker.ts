import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { setTimeout as sleep } from 'node:timers/promises';
import { HaproxyMembership } from '../haproxy/haproxy-membership';
import { RegistryMetrics } from '../metrics/registry-metrics';
import type { MassFailure } from '../instances/prune-plan';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import type { RoundTally } from '../store/records';
import type { Instance } from '../instances/instance';
import { ChangeIndex, CheckHistory, InstanceStore, RoundLog } from '../store/registry-store';
import { CheckerLock } from './checker-lock';
import { CheckSchedule, SCHEDULE_TICK_MS } from './check-schedule';
import { HealthProbe, toCheckRecords, toOutcomes } from './health-probe';

const ROUND = 'health-check-round';
const SCHEDULE = 'health-check-schedule';
const FIRST_ROUND = 'first-health-check-round';
/** How soon after boot the first round runs, so records left by a previous run are checked early. */
const FIRST_ROUND_AFTER_MS = 5_000;

/**
 * Every HEALTH_CHECK_INTERVAL_MS, a full round probes every instance on the registry's interval (and
 * looks at every TTL), records the results, marks failing ones critical, prunes as the thresholds and
 * mass-failure protection say, and reconciles HAProxy (counting the passing instances its backends have
 * no free slot for). Between them, every {@link SCHEDULE_TICK_MS}, a smaller round checks the instances
 * due on their own interval and the TTLs that lapsed ({@link CheckSchedule}), under the same lease and
 * concurrency bound. Instances in maintenance are never checked. Rounds never overlap each other or a
 * recheck ({@link CheckerLock}); a round due while a recheck runs waits for it.
 */
@Injectable()
export class HealthChecker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HealthChecker.name);
  private timer?: NodeJS.Timeout;
  private scheduleTimer?: NodeJS.Timeout;
  private roundDue = false;
  private readonly schedule = new CheckSchedule();
  /** The change index at the last look between rounds: a change means the listing must be read again. */
  private seenIndex?: number;
  /** Services under mass-failure protection at the last round: only so each episode is logged once. */
  private protecting = new Set<string>();

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly probe: HealthProbe,
    private readonly instances: InstanceStore,
    private readonly checks: CheckHistory,
    private readonly rounds: RoundLog,
    private readonly changes: ChangeIndex,
    private readonly lock: CheckerLock,
    private readonly haproxy: HaproxyMembership,
    private readonly metrics: RegistryMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.HEALTH_CHECK_INTERVAL_MS;
    this.timer = setInterval(() => void this.tick(), interval);
    this.scheduler.addInterval(ROUND, this.timer);
    this.scheduleTimer = setInterval(() => void this.tickSchedule(), SCHEDULE_TICK_MS);
    this.scheduler.addInterval(SCHEDULE, this.scheduleTimer);
    // After a full stop (Ctrl-C stops every process at once, so none could deregister) the table
    // still lists the old instances; check them soon rather than an interval later.
    if (interval > FIRST_ROUND_AFTER_MS) {
      this.scheduler.addTimeout(
        FIRST_ROUND,
        setTimeout(() => void this.tick(), FIRST_ROUND_AFTER_MS),
      );
    }
    // A leader taking over does not know when the last round ran: it runs one at once (but not in
    // its first seconds, when instances restarted with it may not be listening yet: see above).
    const booted = performance.now();
    this.lock.onLead(() => {
      if (performance.now() - booted >= Math.min(interval, FIRST_ROUND_AFTER_MS)) void this.tick();
    });
  }

  onApplicationShutdown(): void {
    // The schedule module may have cleared them already; harmless.
    clearInterval(this.timer);
    clearInterval(this.scheduleTimer);
  }

  /** Runs a full round unless one is already running or due; returns its summary, or undefined when skipped. */
  async tick(): Promise<RoundTally | undefined> {
    if (this.roundDue) {
      this.logger.warn('previous health-check round still running; skipping this one');
      return undefined;
    }
    this.roundDue = true;
    try {
      return await this.lock.run(() => this.round(true), true);
    } catch (error) {
      this.logger.error(`health-check round failed: ${(error as Error).message}`);
      return undefined;
    } finally {
      this.roundDue = false;
    }
  }

  /**
   * Runs a round of the instances due on their own schedule, if any and if nothing else runs; returns
   * its summary, or undefined when there was nothing to do. Reads the listing again only when the
   * change index moved or something is due, so an idle registry costs one index read a tick.
   */
  async tickSchedule(): Promise<RoundTally | undefined> {
    if (this.roundDue) return undefined;
    try {
      return await this.lock.run(async () => {
        const index = await this.changes.current();
        const changed = index !== this.seenIndex;
        this.seenIndex = index;
        if (!changed && !this.schedule.anyDue(Date.now())) return undefined;
        return this.round(false);
      }, false);
    } catch (error) {
      this.logger.error(`health-check round failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async round(full: boolean): Promise<RoundTally | undefined> {
    const listed = await this.instances.all();
    const due = this.schedule.due(listed, Date.now(), full);
    if (!full && due.length === 0) return undefined;
    const seq = await this.rounds.start(this.lock.holder, this.lock.fence());
    const started = performance.now();
    let tally: RoundTally;
    try {
      tally = await this.checkAll(seq, due, listed, full);
    } finally {
      this.metrics.round((performance.now() - started) / 1000);
    }
    // Fenced too: a round whose holder no longer leads (or that failed) is left unfinished in the log.
    await this.rounds.finish(seq, tally, this.lock.fence());
    return tally;
  }

  private async checkAll(
    seq: number,
    due: Instance[],
    listed: Instance[],
    full: boolean,
  ): Promise<RoundTally> {
    const probedAt = Date.now();
    const probed = await this.probe.probeAll(due);
    this.schedule.probed(due, listed, probedAt);
    for (const { instance, result } of probed) this.metrics.check(instance.service_name, result.passed);
    if (this.config.REGISTRY_DRILL_HOLD_MS > 0 && probed.some((p) => !p.result.passed)) {
      this.logger.warn(
        `drill: holding round ${seq} for ${this.config.REGISTRY_DRILL_HOLD_MS} ms before its writes`,
      );
      await sleep(this.config.REGISTRY_DRILL_HOLD_MS);
    }
    const checkedAt = Date.now();
    // The probes took a while: the fence checks the lease is still ours, here and in the store.
    const { pruned, massFailures } = await this.instances.applyRound(
      toOutcomes(probed),
      this.config,
      probedAt,
      this.lock.fence(),
    );
    // After the fenced write, so a registry that no longer leads adds no history either.
    await this.checks.append(toCheckRecords(probed, checkedAt), this.config.HEALTH_HISTORY_LIMIT);
    for (const instance of pruned) {
      this.logger.warn(
        `pruned ${instance.service_name} ${instance.url} after ${instance.consecutive_failures} failed check(s)`,
      );
    }
    this.logProtection(massFailures);
    // The pruned records are gone, so the reconcile empties their slots. A round between full ones
    // reconciles only when a status moved (an instance HAProxy does not check follows it there).
    this.lock.fence();
    const moved = probed.some((p) => p.result.passed !== (p.instance.status === 'passing'));
    const synced = full || moved || pruned.length > 0 ? await this.haproxy.reconcile() : undefined;
    return {
      checked: probed.length,
      failed: probed.filter((p) => !p.result.passed).length,
      pruned: pruned.length,
      unrouted: synced?.unrouted.length ?? 0,
      withheld: massFailures.reduce((sum, m) => sum + m.withheld, 0),
      withheld_reason: massFailures.length ? massFailures.map(describe).join('; ') : null,
    };
  }

  private logProtection(massFailures: MassFailure[]): void {
    const now = new Set(massFailures.map((m) => m.service_name));
    for (const failure of massFailures.filter((m) => !this.protecting.has(m.service_name))) {
      this.logger.warn(
        `${describe(failure)}: pruning none of them while it lasts (a store blinking?); ` +
          `one critical for ${this.config.HEALTH_DEREGISTER_CRITICAL_AFTER_MS} ms is pruned anyway`,
      );
    }
    for (const service of [...this.protecting].filter((s) => !now.has(s))) {
      this.logger.log(`mass failure of ${service} is over`);
    }
    this.protecting = now;
  }
}

const describe = ({ service_name, failed, instances }: MassFailure): string =>
  `mass failure: ${failed} of ${instances} ${service_name} instances failed their check`;
