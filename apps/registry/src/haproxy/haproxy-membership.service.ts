import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Instance, instanceAddress } from '../instances/instance';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { RuntimeApi } from './runtime-api';
import {
  type DesiredServer,
  parseBackends,
  parseServersState,
  parseSessions,
  planReconcile,
  type ReconcilePlan,
} from './servers';

// HAProxy's own checks keep traffic off a dead instance between registry rounds. Runtime-added
// servers inherit nothing from default-server, so every option is given here.
const SERVER_OPTIONS = 'check inter 1s fall 2 rise 1 observe layer4 error-limit 1 on-error mark-down';
const POLL_MS = 100;
const DELETE_ATTEMPTS = 30;

/**
 * Keeps HAProxy's backends equal to the registry's passing instances through the Runtime API.
 * Never throws: with HAProxy down it logs, and the next reconcile heals.
 */
@Injectable()
export class HaproxyMembership {
  private readonly logger = new Logger(HaproxyMembership.name);
  private reachable = true;

  constructor(
    private readonly api: RuntimeApi,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {}

  /** Adds an instance to its service's backend and makes it ready (runtime-added servers start in maintenance). */
  async add(instance: Instance): Promise<void> {
    const { host, port } = instanceAddress(instance.url);
    await this.guard(() => this.addServer({ backend: instance.service_name, name: instance.id, host, port }));
  }

  /** Drains an instance, waits (bounded) for its connections to end, then removes it. */
  async drainAndRemove(serviceName: string, id: string): Promise<void> {
    await this.guard(async () => {
      const server = `${serviceName}/${id}`;
      const answer = await this.api.execute(`set server ${server} state drain`);
      if (isMissing(answer)) return;
      const deadline = Date.now() + this.config.HAPROXY_DRAIN_TIMEOUT_MS;
      while (Date.now() < deadline) {
        const sessions = parseSessions(await this.api.execute('show stat -1 4 -1')).get(server) ?? 0;
        if (sessions === 0) break;
        await sleep(POLL_MS);
      }
      await this.deleteServer(serviceName, id);
    });
  }

  /** Removes an instance at once (it failed its checks): maintenance, cut its sessions, delete. */
  async remove(serviceName: string, id: string): Promise<void> {
    await this.guard(() => this.deleteServer(serviceName, id));
  }

  /** Makes HAProxy's servers match `instances` (the passing ones); returns what it changed. */
  async reconcile(instances: Instance[]): Promise<ReconcilePlan | undefined> {
    return this.guard(async () => {
      const backends = parseBackends(await this.api.execute('show backend'));
      const actual = parseServersState(await this.api.execute('show servers state'));
      const desired: DesiredServer[] = instances
        .filter((i) => i.status === 'passing')
        .map((i) => ({ backend: i.service_name, name: i.id, ...instanceAddress(i.url) }));
      const plan = planReconcile(backends, actual, desired);
      for (const server of plan.remove) await this.deleteServer(server.backend, server.name);
      for (const server of plan.add) await this.addServer(server);
      if (plan.add.length || plan.remove.length) {
        this.logger.log(`reconciled HAProxy: +${plan.add.length} -${plan.remove.length} servers`);
      }
      return plan;
    });
  }

  private async addServer({ backend, name, host, port }: DesiredServer): Promise<void> {
    const server = `${backend}/${name}`;
    const answer = await this.api.execute(`add server ${server} ${host}:${port} ${SERVER_OPTIONS}`);
    if (/no such backend/i.test(answer)) return; // a service HAProxy does not front
    if (!/New server registered|already exists/i.test(answer)) {
      this.logger.warn(`HAProxy refused to add ${server}: ${answer}`);
      return;
    }
    await this.api.execute(`enable health ${server}`);
    // It just registered or passed a check: take it as up rather than wait for HAProxy's first check.
    await this.api.execute(`set server ${server} health up`);
    await this.api.execute(`set server ${server} state ready`);
  }

  private async deleteServer(backend: string, name: string): Promise<void> {
    const server = `${backend}/${name}`;
    if (isMissing(await this.api.execute(`set server ${server} state maint`))) return;
    await this.api.execute(`shutdown sessions server ${server}`);
    // `del server` is refused while connections remain; HAProxy 2.6 has no wait command, so poll.
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      const answer = await this.api.execute(`del server ${server}`);
      if (/deleted/i.test(answer) || isMissing(answer)) return;
      await sleep(POLL_MS);
    }
    this.logger.warn(`HAProxy kept ${server} in maintenance; the next round retries`);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (!this.api.enabled) return undefined;
    try {
      const result = await work();
      if (!this.reachable) this.logger.log('HAProxy Runtime API reachable again');
      this.reachable = true;
      return result;
    } catch (error) {
      if (this.reachable) this.logger.warn(`HAProxy not updated: ${(error as Error).message}`);
      this.reachable = false;
      return undefined;
    }
  }
}

function isMissing(answer: string): boolean {
  return /no such (server|backend)/i.test(answer);
}
