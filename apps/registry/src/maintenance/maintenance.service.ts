import { NotFoundError } from '@app/errors';
import { Inject, Injectable } from '@nestjs/common';
import { describeProbe, HealthProbe, toCheckRecords } from '../checker/health-probe';
import { HaproxyMembership } from '../haproxy/haproxy-membership';
import type { InstanceView, ServiceInstancesView } from '../instances/dto/instance.view';
import { haproxyServer, type Instance, type InstanceChanges, noSuchInstance } from '../instances/instance';
import { InstancesService } from '../instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { writeAsRead } from '../store/as-read';
import { CheckHistory, InstanceStore } from '../store/registry-store';

/**
 * Maintenance mode. Entering it records why and since when, then drains the instance's HAProxy slots
 * (its requests finish) and puts them in HAProxy's maintenance; it is then out of every passing view,
 * never checked and never pruned. Leaving it checks the instance at once: passing, it takes traffic
 * again without waiting for a round; failing, it is critical and follows the prune rules from there.
 */
@Injectable()
export class MaintenanceService {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstanceStore,
    private readonly views: InstancesService,
    private readonly probe: HealthProbe,
    private readonly checks: CheckHistory,
    private readonly haproxy: HaproxyMembership,
  ) {}

  /** Holds the instance out of traffic; returns it once its requests are done. A repeat changes the reason. */
  async enter(serviceName: string, id: string, reason: string): Promise<InstanceView> {
    const written = await writeAsRead(this.instances, serviceName, id, (before) => ({
      changes: { maintenance: { reason, since: before.maintenance?.since ?? Date.now() } },
    }));
    if (!written) throw noSuchInstance(serviceName, id);
    const missed = await this.haproxy.holdOut(haproxyServer(written.after));
    const view = await this.views.get(serviceName, id);
    if (missed.length === 0) return view;
    const warning = `in maintenance, but HAProxy ${missed.join(', ')} did not answer: it takes the instance out when it is back`;
    return { ...view, warning };
  }

  /**
   * Ends the maintenance after one check made now (a no-op for an instance not in maintenance). If the
   * record changed while the check ran (a new reason, a report), it is read and checked again.
   */
  async leave(serviceName: string, id: string): Promise<InstanceView> {
    const written = await writeAsRead(this.instances, serviceName, id, async (before) => {
      if (before.maintenance === null) return undefined;
      const [probed] = await this.probe.probeAll([before]);
      const now = Date.now();
      const outcome: InstanceChanges = probed.result.passed
        ? { status: 'passing', consecutive_failures: 0, critical_since: null, last_seen: now }
        : { status: 'critical', consecutive_failures: 1, critical_since: now };
      const changes: InstanceChanges = {
        ...outcome,
        maintenance: null,
        consecutive_successes: probed.result.passed ? 1 : 0,
        last_output: describeProbe(probed),
      };
      return { changes, probed, now };
    });
    if (written) {
      await this.checks.append(
        toCheckRecords([written.probed], written.now),
        this.config.HEALTH_HISTORY_LIMIT,
      );
      await this.haproxy.release(haproxyServer(written.after));
    }
    return this.views.get(serviceName, id); // 404 when there is no such instance
  }

  /** Holds every instance of the service out of traffic (those registering later are not). */
  async enterService(serviceName: string, reason: string): Promise<ServiceInstancesView> {
    const members = await this.members(serviceName);
    const instances = await Promise.all(members.map((i) => this.enter(serviceName, i.id, reason)));
    return { service_name: serviceName, instances };
  }

  /** Ends the maintenance of every instance of the service, each after its own check. */
  async leaveService(serviceName: string): Promise<ServiceInstancesView> {
    const members = await this.members(serviceName);
    const instances = await Promise.all(members.map((i) => this.leave(serviceName, i.id)));
    return { service_name: serviceName, instances };
  }

  private async members(serviceName: string): Promise<Instance[]> {
    const members = await this.instances.byService(serviceName);
    if (members.length === 0) throw new NotFoundError(`service ${serviceName} has no instances`);
    return members;
  }
}
