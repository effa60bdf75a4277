import { Inject, Injectable } from '@nestjs/common';
import { InstancesService } from '../instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { type CheckRecord, ChecksRepository } from './checks.repository';
import { type CheckView, type RoundView, toCheckView, toRoundView } from './dto/check.view';
import { RoundsRepository } from './rounds.repository';

/** What the checker has recorded: checks per service, results reported by hand, the rounds. */
@Injectable()
export class ChecksService {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstancesService,
    private readonly checks: ChecksRepository,
    private readonly rounds: RoundsRepository,
  ) {}

  /** The service's latest checks, newest first. */
  history(serviceName: string, limit: number): CheckView[] {
    return this.checks.byService(serviceName, limit).map(toCheckView);
  }

  /** The seed's `urls/healths`: a check result reported from outside, kept in the history. */
  report(serviceName: string, url: string, statusCode: number): CheckView {
    const instance = this.instances.lookup(serviceName, url);
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
    this.checks.append([record], this.config.HEALTH_HISTORY_LIMIT);
    return toCheckView(record);
  }

  /** The latest `perInstance` checks of every instance, oldest first. */
  latestPerInstance(perInstance: number): CheckRecord[] {
    return this.checks.latestPerInstance(perInstance);
  }

  /** The latest rounds, newest first. */
  recentRounds(limit: number): RoundView[] {
    return this.rounds.recent(limit).map(toRoundView);
  }
}
