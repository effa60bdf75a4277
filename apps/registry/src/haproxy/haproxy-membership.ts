import { Inject, Injectable, Logger } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { setTimeout as sleep } from 'node:timers/promises';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ChangeIndex } from '../store/registry-store';
import { RuntimeApi } from './runtime-api';
import { parseServerStats } from './server-stats';
import {
  PARKED,
  parseBackends,
  parseSlots,
  planSlots,
  serverKey,
  type Slot,
  slotId,
  type SlotPlan,
  type WantedServer,
} from './slots';

const POLL_MS = 100;

/** Reads, inside a writer's turn, the servers the registry keeps now (its instances, routable when passing). */
export type WantedSource = () => Promise<WantedServer[]>;

/** What one sync changed in HAProxy and what it could not route. */
export interface SyncResult {
  filled: number;
  emptied: number;
  /** Routable (passing) instances whose backend has no free slot. */
  unrouted: WantedServer[];
}

/**
 * The one writer of HAProxy's membership: keeps each backend's slots equal to the registry's
 * instances through the Runtime API (a critical one keeps its slot, out of traffic by HAProxy's own check). Every change (a registration, a deregistration's drain,
 * a round's reconcile) takes its turn in one queue and reads the wanted state (a WantedSource from the caller)
 * inside that turn, so no change acts on a state another one has already made stale.
 * Never throws: with HAProxy down it logs, and the next round heals.
 */
@Injectable()
export class HaproxyMembership {
  private readonly logger = new Logger(HaproxyMembership.name);
  private readonly queue = new Mutex();
  /** Deregistered instances finishing their requests: their slots stay theirs until drained. */
  private readonly draining = new Map<string, { server: WantedServer; token: symbol }>();
  /** `service/instance id` → the slot carrying it (`likes/s3`), as of the last sync. */
  private held = new Map<string, string>();
  private unrouted = new Set<string>();
  private reachable = true;

  constructor(
    private readonly api: RuntimeApi,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly metrics: RegistryMetrics,
    private readonly changes: ChangeIndex,
  ) {}

  /** The HAProxy server (`backend/slot`) held for an instance, or null when it has none. */
  serverOf(serviceName: string, id: string): string | null {
    return this.held.get(serverKey({ backend: serviceName, id })) ?? null;
  }

  /** True when the instance is passing but its backend had no free slot at the last sync. */
  lacksSlot(serviceName: string, id: string): boolean {
    return this.unrouted.has(serverKey({ backend: serviceName, id }));
  }

  /** Routes a just-registered (or re-registered) server, cancelling its drain if one is running. */
  async add(server: WantedServer, wanted: WantedSource): Promise<void> {
    this.draining.delete(serverKey(server));
    await this.reconcile(wanted);
  }

  /**
   * Deregisters a server: `forget` (which deletes its record) runs at once, then the server's slot
   * drains (bounded by HAPROXY_DRAIN_TIMEOUT_MS) and is emptied.
   */
  async drainAndRemove(
    server: WantedServer,
    forget: () => Promise<unknown>,
    wanted: WantedSource,
  ): Promise<void> {
    const key = serverKey(server);
    const token = Symbol(key);
    // Marked before the record goes: a sync never sees it neither wanted nor draining.
    this.draining.set(key, { server, token });
    try {
      await forget();
    } catch (error) {
      this.draining.delete(key);
      throw error;
    }
    const stillDraining = () => this.draining.get(key)?.token === token;
    try {
      const slot = await this.turn(async () => {
        const id = this.held.get(key);
        if (id) await this.api.execute(`set server ${id} state drain`);
        return id;
      });
      const deadline = Date.now() + this.config.HAPROXY_DRAIN_TIMEOUT_MS;
      while (slot && stillDraining() && Date.now() < deadline) {
        const stats = parseServerStats(await this.api.execute('show stat -1 4 -1'));
        const sessions = stats.find((s) => slotId(s) === slot)?.sessions ?? 0;
        if (sessions === 0) break;
        await sleep(POLL_MS);
      }
    } catch {
      // HAProxy unreachable: nothing to drain; the sync below logs it.
    } finally {
      if (stillDraining()) this.draining.delete(key);
      await this.reconcile(wanted);
    }
  }

  /** Makes every backend's slots match what `wanted` reads; returns what it did. */
  async reconcile(wanted: WantedSource): Promise<SyncResult | undefined> {
    return this.turn(() => this.sync(wanted));
  }

  private async sync(source: WantedSource): Promise<SyncResult> {
    const backends = parseBackends(await this.api.execute('show backend'));
    const slots = parseSlots(await this.api.execute('show servers state'));
    // Read after HAProxy answered, inside the turn: the freshest wanted state there is.
    const wanted = await source();
    const plan = planSlots(
      backends,
      slots,
      wanted,
      [...this.draining.values()].map((d) => d.server),
    );
    for (const slot of plan.empty) await this.empty(slot);
    for (const { slot, server } of plan.fill) await this.fill(slot, server);
    for (const slot of plan.ready) await this.command(slot, [`set server ${slotId(slot)} state ready`]);
    this.record(plan);
    if (plan.fill.length || plan.empty.length) {
      await this.changes.bump(); // the instances' haproxy_server changed
      this.logger.log(`HAProxy slots: +${plan.fill.length} filled, -${plan.empty.length} emptied`);
    }
    return { filled: plan.fill.length, emptied: plan.empty.length, unrouted: plan.unrouted };
  }

  private async fill(slot: Slot, { host, port }: WantedServer): Promise<void> {
    const id = slotId(slot);
    // It just registered or passed a check: take it as up rather than wait for HAProxy's first check.
    await this.command(slot, [
      `set server ${id} addr ${host} port ${port}`,
      `set server ${id} health up`,
      `set server ${id} state ready`,
    ]);
  }

  /** Out of traffic at once, its requests cut (a pruned instance is dead anyway), parked. */
  private async empty(slot: Slot): Promise<void> {
    const id = slotId(slot);
    await this.command(slot, [
      `set server ${id} state maint`,
      `shutdown sessions server ${id}`,
      `set server ${id} addr ${PARKED.host} port ${PARKED.port}`,
    ]);
  }

  /** Runs `commands` in one Runtime API call; HAProxy's complaints are logged, not thrown. */
  private async command(slot: Slot, commands: string[]): Promise<void> {
    const answer = await this.api.execute(commands.join('; '));
    if (/no such|require|invalid|unknown|error|fail/i.test(answer)) {
      this.metrics.syncError();
      this.logger.warn(`HAProxy refused a change to ${slotId(slot)}: ${answer.replace(/\s+/g, ' ')}`);
    }
  }

  private record(plan: SlotPlan): void {
    this.held = new Map([...plan.held].map(([key, slot]) => [key, slotId(slot)] as const));
    const unrouted = new Set(plan.unrouted.map(serverKey));
    for (const key of unrouted) {
      if (!this.unrouted.has(key)) {
        this.logger.warn(
          `${key} is registered but not routed: its HAProxy backend has no free slot (HAPROXY_SLOTS)`,
        );
      }
    }
    for (const key of this.unrouted) {
      if (!unrouted.has(key) && plan.held.has(key)) this.logger.log(`${key} is routed now`);
    }
    this.unrouted = unrouted;
  }

  /** One turn in the writer's queue; undefined when HAProxy updates are off or HAProxy is unreachable. */
  private async turn<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (!this.api.enabled) return undefined;
    return this.queue.runExclusive(async () => {
      try {
        const result = await work();
        if (!this.reachable) this.logger.log('HAProxy Runtime API reachable again');
        this.reachable = true;
        return result;
      } catch (error) {
        this.metrics.syncError();
        if (this.reachable) this.logger.warn(`HAProxy not updated: ${(error as Error).message}`);
        this.reachable = false;
        return undefined;
      }
    });
  }
}
