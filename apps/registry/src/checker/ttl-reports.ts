import { ConflictError } from '@app/errors';
import { Inject, Injectable } from '@nestjs/common';
import { HaproxyMembership } from '../haproxy/haproxy-membership';
import type { InstanceView } from '../instances/dto/instance.view';
import {
  type Instance,
  type InstanceChanges,
  type InstanceStatus,
  noSuchInstance,
  type TtlState,
} from '../instances/instance';
import { InstancesService } from '../instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { writeAsRead } from '../store/as-read';
import { CheckHistory, InstanceStore, type UpdateOptions } from '../store/registry-store';
import { renewedTtl, reportedTtl } from '../instances/ttl-state';

/**
 * Reports of TTL-checked instances (Consul's `/agent/check/pass|fail`). A passing report renews the
 * TTL and puts a critical instance back in traffic at once; a critical one takes it out at once. Either
 * way the failures that prune are counted by the rounds, as for every check; an instance in
 * maintenance keeps its state until the maintenance ends.
 */
@Injectable()
export class TtlReports {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstanceStore,
    private readonly views: InstancesService,
    private readonly checks: CheckHistory,
    private readonly haproxy: HaproxyMembership,
  ) {}

  async report(
    serviceName: string,
    id: string,
    status: InstanceStatus,
    output: string,
  ): Promise<InstanceView> {
    const written = await writeAsRead(this.instances, serviceName, id, (before) => {
      const now = Date.now();
      const ttl = reportedTtl(before, status, output, now);
      if (!ttl) {
        throw new ConflictError(
          `instance ${id} of service ${serviceName} has a ${before.check.type} check, not a TTL`,
        );
      }
      return reported(before, ttl, now);
    });
    if (!written) throw noSuchInstance(serviceName, id);
    await this.moved(written);
    return this.views.get(serviceName, id);
  }

  /**
   * Renews the TTL without changing what the instance reported (Eureka's heartbeat): passing again if
   * it lapsed, still critical if it said so. An instance not checked by TTL is alive, and unchanged.
   */
  async renew(serviceName: string, id: string): Promise<InstanceView> {
    const written = await writeAsRead(this.instances, serviceName, id, (record) => {
      const now = Date.now();
      const ttl = renewedTtl(record, now);
      return ttl && reported(record, ttl, now);
    });
    if (written) await this.moved(written);
    return this.views.get(serviceName, id); // 404 when there is no such instance
  }

  /** A report that moved the status: recorded in the history, and HAProxy follows. */
  private async moved({ moves, after, changes }: Reported & { after: Instance }): Promise<void> {
    if (!moves) return;
    const passed = after.status === 'passing';
    const record = { service_name: after.service_name, instance_id: after.id, url: after.url };
    await this.checks.append(
      [
        {
          ...record,
          checked_at: changes.last_seen!,
          status_code: null,
          latency_ms: 0,
          error: passed ? null : 'reported critical',
          passed,
        },
      ],
      this.config.HEALTH_HISTORY_LIMIT,
    );
    await this.haproxy.reconcile();
  }
}

interface Reported {
  changes: InstanceChanges;
  options: UpdateOptions;
  moves: boolean;
}

/** The changes a report (or a renewal) makes: the TTL state, and the status at once unless in maintenance. */
function reported(before: Instance, ttl: TtlState, now: number): Reported {
  // Any report is a sign of life (a failure probed before it no longer counts).
  const changes: InstanceChanges = { ttl, last_output: ttl.output, last_seen: now };
  const moves = before.maintenance === null && before.status !== ttl.status;
  if (moves && ttl.status === 'passing') {
    Object.assign(changes, { status: ttl.status, consecutive_failures: 0, critical_since: null });
  }
  if (moves && ttl.status === 'critical') {
    Object.assign(changes, { status: ttl.status, consecutive_successes: 0, critical_since: now });
  }
  // A renewal that changes nothing a reader sees moves no index: heartbeats would wake every watcher.
  const visible = moves || ttl.status !== before.ttl?.status || ttl.output !== before.last_output;
  return { changes, options: { visible }, moves };
}
