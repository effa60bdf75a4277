import { NotFoundError, RejectedError } from '@app/errors';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HaproxyMembership } from '../haproxy/haproxy-membership';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { isAllowedHost } from './allowed-hosts';
import { type InstanceView, toInstanceView } from './dto/instance.view';
import { type PrometheusTargetGroup, toPrometheusTargetGroup } from './dto/prometheus-target.view';
import {
  haproxyServer,
  type Instance,
  instanceId,
  inTraffic,
  noSuchInstance,
  type Registration,
} from './instance';
import { InstanceStore } from '../store/registry-store';

/** Registration, lookup and deregistration of instances, keeping HAProxy in step. */
@Injectable()
export class InstancesService implements OnModuleInit {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstanceStore,
    private readonly haproxy: HaproxyMembership,
    private readonly metrics: RegistryMetrics,
  ) {}

  onModuleInit(): void {
    this.metrics.countInstances(() => this.instances.all());
  }

  /**
   * Registers (or refreshes) an instance and routes it through HAProxy; `created` is false for a
   * repeat. An instance whose backend has no free slot is still registered, with a warning.
   */
  async register(registration: Registration): Promise<{ instance: InstanceView; created: boolean }> {
    if (!isAllowedHost(registration.url, this.config.REGISTRY_ALLOWED_HOSTS)) {
      throw new RejectedError(
        `url: host ${new URL(registration.url).hostname} is not allowed (loopback only unless REGISTRY_ALLOWED_HOSTS lists it)`,
      );
    }
    const { check } = registration;
    const interval =
      check.type === 'ttl' ? null : (check.interval_ms ?? this.config.HEALTH_CHECK_INTERVAL_MS);
    if (check.type !== 'ttl' && check.timeout_ms !== null && check.timeout_ms > interval!) {
      // One probe may not outlast its interval: a round waits for its slowest probe.
      throw new RejectedError(`check.timeout: must be at most the interval (${interval} ms)`);
    }
    const { instance, created } = await this.instances.register(registration);
    await this.haproxy.add(haproxyServer(instance));
    const routed = this.routed(instance);
    if (this.haproxy.lacksSlot(instance.service_name, instance.id)) {
      const warning = `registered, but not routed: HAProxy's ${instance.service_name} backend has no free server slot (raise HAPROXY_SLOTS)`;
      return { instance: { ...routed, warning }, created };
    }
    return { instance: routed, created };
  }

  /** Forgets the instance at once, then drains it out of HAProxy; returns what was removed. */
  async deregister(serviceName: string, id: string): Promise<InstanceView> {
    const instance = await this.find(serviceName, id);
    await this.haproxy.drainAndRemove(haproxyServer(instance), () =>
      this.instances.deregister(serviceName, id),
    );
    return toInstanceView(instance, null);
  }

  async get(serviceName: string, id: string): Promise<InstanceView> {
    return this.routed(await this.find(serviceName, id));
  }

  /** The instance registered for this service and URL, whatever its state, or 404. */
  lookup(serviceName: string, url: string): Promise<InstanceView> {
    return this.get(serviceName, instanceId(url));
  }

  /**
   * The seed's `service/exists`: the instance registered for this service and URL if it is passing
   * and not in maintenance, or 404.
   */
  async exists(serviceName: string, url: string): Promise<InstanceView> {
    const instance = await this.find(serviceName, instanceId(url));
    if (!inTraffic(instance)) {
      const why = instance.maintenance ? 'in maintenance' : 'critical';
      throw new NotFoundError(`instance ${instance.id} of service ${serviceName} is ${why}`);
    }
    return this.routed(instance);
  }

  /** Sets the instance's weight, in the store and then in HAProxy. */
  async setWeight(serviceName: string, id: string, weight: number): Promise<InstanceView> {
    const instance = await this.instances.update(serviceName, id, { weight });
    if (!instance) throw noSuchInstance(serviceName, id);
    await this.haproxy.reconcile();
    return this.routed(instance);
  }

  async all(): Promise<InstanceView[]> {
    return (await this.instances.all()).map((i) => this.routed(i));
  }

  /**
   * The instances that passed their last check and are not in maintenance (where traffic may go),
   * carrying every tag in `tags`.
   */
  async healthy(serviceName: string, tags: string[] = []): Promise<InstanceView[]> {
    return (await this.instances.byService(serviceName))
      .filter((i) => inTraffic(i) && tags.every((tag) => i.tags.includes(tag)))
      .map((i) => this.routed(i));
  }

  /** The records of every instance, or of one service's, in any state (for the protocol views' mappers). */
  records(serviceName?: string): Promise<Instance[]> {
    return serviceName === undefined ? this.instances.all() : this.instances.byService(serviceName);
  }

  /** Every passing instance as a Prometheus target group (`http_sd_configs`). */
  async prometheusTargets(): Promise<PrometheusTargetGroup[]> {
    return (await this.instances.all()).filter((i) => i.status === 'passing').map(toPrometheusTargetGroup);
  }

  private async find(serviceName: string, id: string): Promise<Instance> {
    const instance = await this.instances.find(serviceName, id);
    if (!instance) throw noSuchInstance(serviceName, id);
    return instance;
  }

  private routed(instance: Instance): InstanceView {
    return toInstanceView(instance, this.haproxy.serverOf(instance.service_name, instance.id));
  }
}
