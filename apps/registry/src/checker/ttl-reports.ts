import { ConflictError, NotFoundError } from '@app/errors';
import { Inject, Injectable } from '@nestjs/common';
import { HaproxyMembership } from '../haproxy/haproxy-membership';
import type { InstanceView } from '../instances/dto/instance.view';
import type { InstanceChanges, InstanceStatus } from '../instances/instance';
import { InstancesService } from '../instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { CheckHistory, InstanceStore } from '../store/registry-store';
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
    const before = await this.instances.find(serviceName, id);
    if (!before) throw new NotFoundError(`no instance ${id} of service ${serviceName}`);
    const now = Date.now();
    const ttl = reportedTtl(before, status, output, now);
    if (!ttl) {
      throw new ConflictError(
        `instance ${id} of service ${serviceName} has a ${before.check.type} check, not a TTL`,
      );
    }
    // Any report is a sign of life (a failure probed before it no longer counts).
    const changes: InstanceChanges = { ttl, last_output: ttl.output, last_seen: now };
    const moves = before.maintenance === null && before.status !== status;
    if (moves && status === 'passing') {
      Object.assign(changes, { status, consecutive_failures: 0, critical_since: null });
    }
    if (moves && status === 'critical') {
      Object.assign(changes, { status, consecutive_successes: 0, critical_since: now });
    }
    // A renewal that changes nothing a reader sees moves no index: heartbeats would wake every watcher.
    const visible = moves || ttl.status !== before.ttl?.status || ttl.output !== before.last_output;
    const after = await this.instances.update(serviceName, id, changes, visible);
    if (!after) throw new NotFoundError(`no instance ${id} of service ${serviceName}`);
    if (moves) {
      const error = status === 'passing' ? null : 'reported critical';
      const record = { service_name: serviceName, instance_id: id, url: after.url, checked_at: now };
      await this.checks.append(
        [{ ...record, status_code: null, latency_ms: 0, error, passed: status === 'passing' }],
        this.config.HEALTH_HISTORY_LIMIT,
      );
      await this.haproxy.reconcile();
    }
    return this.views.get(serviceName, id);
  }

  /**
   * Renews the TTL without changing what the instance reported (Eureka's heartbeat): passing again if
   * it lapsed, still critical if it said so. An instance not checked by TTL is alive, and unchanged.
   */
  async renew(serviceName: string, id: string): Promise<InstanceView> {
    const before = await this.instances.find(serviceName, id);
    if (!before) throw new NotFoundError(`no instance ${id} of service ${serviceName}`);
    if (before.ttl === null || before.check.type !== 'ttl') return this.views.get(serviceName, id);
    if (before.ttl.status === 'passing') return this.report(serviceName, id, 'passing', before.ttl.output);
    const ttl = renewedTtl(before, Date.now())!;
    if (!(await this.instances.update(serviceName, id, { ttl, last_seen: Date.now() }, false))) {
      throw new NotFoundError(`no instance ${id} of service ${serviceName}`);
    }
    return this.views.get(serviceName, id);
  }
}
