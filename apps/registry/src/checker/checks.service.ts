import { Inject, Injectable } from '@nestjs/common';
import { InstancesService } from '../instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import type { CheckRecord } from '../store/records';
import { CheckHistory, RoundLog } from '../store/registry-store';
import { type CheckView, type RoundView, toCheckView, toRoundView } from './dto/check.view';

/** What the checker has recorded: checks per service, results reported by hand, the rounds. */
@Injectable()
export class ChecksService {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstancesService,
    private readonly checks: CheckHistory,
    private readonly rounds: RoundLog,
  ) {}

  /** The service's latest checks, newest first. */
  async history(serviceName: string, limit: number): Promise<CheckView[]> {
    return (await this.checks.byService(serviceName, limit)).map(toCheckView);
  }

  /** The seed's `urls/healths`: a check result reported from outside, kept in the history. */
  async report(serviceName: string, url: string, statusCode: number): Promise<CheckView> {
    const instance = await this.instances.lookup(serviceName, url);
    const record: CheckRecord = {
      service_name: serviceName,
      instance_id: instance.id,
      url: instance.url,
      checked_at: Date.now(),
      status_code: statusCode,
      latency_ms: 0,
      error: statusCode === 200 ? null : `reported HTTP ${statusCode}`,
      passed: statusCode === 200,
    };
    await this.checks.append([record], this.config.HEALTH_HISTORY_LIMIT);
    return toCheckView(record);
  }

  /** The latest `perInstance` checks of every instance, oldest first. */
  latestPerInstance(perInstance: number): Promise<CheckRecord[]> {
    return this.checks.latestPerInstance(perInstance);
  }

  /** The latest rounds, newest first. */
  async recentRounds(limit: number): Promise<RoundView[]> {
    return (await this.rounds.recent(limit)).map(toRoundView);
  }
}
