import { NotFoundError, RejectedError } from '@app/errors';
import { Injectable } from '@nestjs/common';
import { TtlReports } from '../checker/ttl-reports';
import type { Instance } from '../instances/instance';
import { InstancesService } from '../instances/instances.service';
import { MaintenanceService } from '../maintenance/maintenance.service';
import { writeAsRead } from '../store/as-read';
import { ChangeIndex, InstanceStore } from '../store/registry-store';
import { type EurekaRegistration, fromEureka, metadataPairs } from './dto/eureka-registration.schema';
import { EUREKA_ID_KEY, type EurekaStatus } from './dto/eureka-status';
import {
  appName,
  type EurekaApplicationsView,
  type EurekaInstance,
  eurekaId,
  toApplicationsView,
  toEurekaInstance,
} from './dto/eureka.view';
import { EurekaDelta } from './eureka-delta';

/** Why an instance is in maintenance when an Eureka client asked for it. */
const OVERRIDE_REASON = 'OUT_OF_SERVICE (Eureka status override)';

/**
 * Eureka's operations over Chirp's model: a registration is an ordinary instance with a TTL check of
 * its lease, a heartbeat renews that TTL, OUT_OF_SERVICE is maintenance, DOWN, STARTING and UNKNOWN
 * are critical TTL reports naming the status. It keeps nothing of its own but {@link EurekaDelta}'s
 * snapshots.
 */
@Injectable()
export class EurekaRegistry {
  constructor(
    private readonly instances: InstancesService,
    private readonly maintenance: MaintenanceService,
    private readonly ttl: TtlReports,
    private readonly store: InstanceStore,
    private readonly changes: ChangeIndex,
    private readonly delta: EurekaDelta,
  ) {}

  /**
   * Registers as the client says it is: UP in traffic; DOWN, STARTING or UNKNOWN critical from the
   * start (never routed first); OUT_OF_SERVICE in maintenance. A re-registration never ends a
   * maintenance (Eureka's overrides outlive them too).
   */
  async register(input: EurekaRegistration): Promise<void> {
    const { url, meta, ttlMs, status } = fromEureka(input);
    const down = status !== 'UP' && status !== 'OUT_OF_SERVICE';
    const { instance } = await this.instances.register({
      service_name: input.app,
      url,
      http: 'GET',
      health_path: '/health-check',
      tags: [],
      meta,
      check: { type: 'ttl', ttl_ms: ttlMs },
      ...(down && { reported: { status: 'critical' as const, output: status } }),
    });
    if (status === 'OUT_OF_SERVICE') {
      await this.maintenance.enter(instance.service_name, instance.id, OVERRIDE_REASON);
    }
  }

  /** A heartbeat: renews the lease (404 when unknown, so the client registers again). */
  async renew(app: string, id: string): Promise<void> {
    const instance = await this.find(app, id);
    await this.ttl.renew(instance.service_name, instance.id);
  }

  async cancel(app: string, id: string): Promise<void> {
    const instance = await this.find(app, id);
    await this.instances.deregister(instance.service_name, instance.id);
  }

  async setStatus(app: string, id: string, status: EurekaStatus): Promise<void> {
    await this.applyStatus(await this.find(app, id), status);
  }

  /** Removes the override (ends the maintenance), then applies `status` when one is given. */
  async removeOverride(app: string, id: string, status?: EurekaStatus): Promise<void> {
    const instance = await this.find(app, id);
    if (instance.maintenance) await this.maintenance.leave(instance.service_name, instance.id);
    if (status) await this.applyStatus(await this.find(app, id), status);
  }

  async addMetadata(app: string, id: string, pairs: Record<string, unknown>): Promise<void> {
    const parsed = metadataPairs.safeParse(pairs);
    if (!parsed.success) throw new RejectedError(`metadata: ${parsed.error.issues[0].message}`);
    const instance = await this.find(app, id);
    const written = await writeAsRead(this.store, instance.service_name, instance.id, (before) => ({
      changes: { meta: { ...before.meta, ...parsed.data } },
    }));
    if (!written) throw this.notFound(app, id);
  }

  async applications(): Promise<EurekaApplicationsView> {
    const all = await this.store.all();
    this.delta.observe(all);
    return toApplicationsView(
      all.map((i) => toEurekaInstance(i)),
      all,
      1,
    );
  }

  async changed(): Promise<EurekaApplicationsView> {
    const index = await this.changes.current();
    const all = await this.store.all();
    return toApplicationsView(this.delta.changes(all), all, index);
  }

  async application(app: string): Promise<{ name: string; instance: EurekaInstance[] }> {
    const members = await this.store.byService(app);
    if (members.length === 0) throw new NotFoundError(`no application ${appName(app)}`);
    return { name: appName(app), instance: members.map((i) => toEurekaInstance(i)) };
  }

  async instance(app: string, id: string): Promise<EurekaInstance> {
    return toEurekaInstance(await this.find(app, id));
  }

  /** `GET /eureka/instances/:id`: the instance of any app with that id. */
  async anywhere(id: string): Promise<EurekaInstance> {
    const instance = (await this.store.all()).find((i) => eurekaId(i) === id || i.id === id);
    if (!instance) throw new NotFoundError(`no instance ${id}`);
    return toEurekaInstance(instance);
  }

  /** `GET /eureka/vips/:vip`: every instance whose VIP address (its service's name) is `vip`. */
  async vip(vip: string): Promise<EurekaApplicationsView> {
    const all = await this.store.all();
    const shown = all.filter((i) => i.service_name === vip).map((i) => toEurekaInstance(i));
    return toApplicationsView(shown, all, 1);
  }

  private async applyStatus(instance: Instance, status: EurekaStatus): Promise<void> {
    const { service_name: service, id } = instance;
    if (status === 'OUT_OF_SERVICE') {
      await this.maintenance.enter(service, id, OVERRIDE_REASON);
      return;
    }
    if (instance.maintenance) await this.maintenance.leave(service, id);
    await this.ttl.report(service, id, status === 'UP' ? 'passing' : 'critical', status);
  }

  /** The instance of `app` an Eureka client knows as `id` (its own instanceId, or Chirp's). */
  private async find(app: string, id: string): Promise<Instance> {
    const members = await this.store.byService(app);
    const instance = members.find((i) => i.meta[EUREKA_ID_KEY] === id) ?? members.find((i) => i.id === id);
    if (!instance) throw this.notFound(app, id);
    return instance;
  }

  private notFound(app: string, id: string): NotFoundError {
    return new NotFoundError(`no instance ${id} of application ${appName(app)}`);
  }
}
