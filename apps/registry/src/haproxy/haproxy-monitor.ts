import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ChangeIndex } from '../store/registry-store';
import { HaproxyMembership } from './haproxy-membership';
import type { HaproxyTarget } from './haproxy-target';
import { HaproxyTargets } from './haproxy-targets';

/**
 * Watches every HAProxy on its own timer (HAPROXY_PROBE_MS, one `show info` and one map read): one that
 * restarted (its slots are empty), that answers again, or that has been behind the registry's change
 * index for longer than HAPROXY_MAX_LAG_MS is reconciled in full at once, not at the next round.
 * Every registry watches, so a lagging HAProxy is healed by whichever registry sees it.
 */
@Injectable()
export class HaproxyMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HaproxyMonitor.name);
  private readonly stop = new AbortController();

  constructor(
    private readonly targets: HaproxyTargets,
    private readonly membership: HaproxyMembership,
    private readonly changes: ChangeIndex,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const target of this.targets.all) void this.watch(target);
  }

  onModuleDestroy(): void {
    this.stop.abort();
  }

  /** One probe: what it found decides whether `target` is reconciled now. */
  async check(target: HaproxyTarget): Promise<void> {
    const seen = await target.probe();
    if (seen === null) return;
    if (seen !== 'same') return this.membership.reconcileTarget(target);
    let current: number;
    try {
      current = await this.changes.current();
    } catch {
      return; // the store is down: nothing to compare with, and nothing new to push
    }
    const lag = target.observeLag(current);
    if (lag > this.config.HAPROXY_MAX_LAG_MS) {
      this.logger.warn(`${target.label} is ${lag} ms behind the change index: reconciled in full`);
      await this.membership.reconcileTarget(target);
    }
  }

  private async watch(target: HaproxyTarget): Promise<void> {
    const { signal } = this.stop;
    while (!signal.aborted) {
      try {
        await this.check(target);
      } catch (error) {
        this.logger.warn(`${target.label}: ${(error as Error).message}`);
      }
      await sleep(this.config.HAPROXY_PROBE_MS, undefined, { signal }).catch(() => undefined);
    }
  }
}
