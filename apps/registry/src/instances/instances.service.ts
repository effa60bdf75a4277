import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  ChecksRepository,
  type CheckRecord,
  type CheckView,
  toCheckView,
} from '../checker/checks.repository';
import { HaproxyMembership } from '../haproxy/haproxy-membership.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { isAllowedHost } from './allowed-hosts';
import { type Instance, instanceId, type Registration } from './instance';
import { InstancesRepository } from './instances.repository';

/** Registration, lookup and deregistration of instances, keeping HAProxy in step. */
@Injectable()
export class InstancesService {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstancesRepository,
    private readonly checks: ChecksRepository,
    private readonly haproxy: HaproxyMembership,
  ) {}

  /** Registers (or refreshes) an instance and puts it in HAProxy; `created` is false for a repeat. */
  async register(registration: Registration): Promise<{ instance: Instance; created: boolean }> {
    if (!isAllowedHost(registration.url, this.config.REGISTRY_ALLOWED_HOSTS)) {
      throw new BadRequestException(
        `url: host ${new URL(registration.url).hostname} is not allowed (loopback only unless REGISTRY_ALLOWED_HOSTS lists it)`,
      );
    }
    const result = this.instances.upsert(registration);
    await this.haproxy.add(result.instance);
    return result;
  }

  /** Drains the instance out of HAProxy, then forgets it; returns what was removed. */
  async deregister(serviceName: string, id: string): Promise<Instance> {
    const instance = this.get(serviceName, id);
    await this.haproxy.drainAndRemove(serviceName, id);
    this.instances.remove(serviceName, id);
    return instance;
  }

  get(serviceName: string, id: string): Instance {
    const instance = this.instances.find(serviceName, id);
    if (!instance) throw new NotFoundException(`no instance ${id} of service ${serviceName}`);
    return instance;
  }

  /** The seed's `service/exists`: the instance registered for this service and URL, or 404. */
  lookup(serviceName: string, url: string): Instance {
    return this.get(serviceName, instanceId(url));
  }

  all(): Instance[] {
    return this.instances.all();
  }

  /** The instances that passed their last check: where traffic may go. */
  healthy(serviceName: string): Instance[] {
    return this.instances.byService(serviceName).filter((i) => i.status === 'passing');
  }

  history(serviceName: string, limit: number): CheckView[] {
    return this.checks.byService(serviceName, limit);
  }

  /** The seed's `urls/healths`: a check result reported from outside, kept in the history. */
  report(serviceName: string, url: string, statusCode: number): CheckView {
    const instance = this.lookup(serviceName, url);
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
}
