import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { haproxyServer } from '../instances/instance';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ChangeIndex, InstanceStore } from '../store/registry-store';
import type { HaproxyTarget, Snapshot, SyncResult } from './haproxy-target';
import { HaproxyTargets } from './haproxy-targets';
import { serverKey, type WantedServer } from './slots';

export type { SyncResult } from './haproxy-target';

const DRAIN_POLL_MS = 100;

/** A snapshot and, for each HAProxy it was handed to, that HAProxy's push of it. */
interface Handed {
  snapshot: Snapshot;
  pushes: Map<HaproxyTarget, Promise<SyncResult | undefined>>;
}

/**
 * The one writer of HAProxy's membership: keeps each backend's slots, on every HAProxy the registry
 * drives, equal to the registry's instances (a critical one keeps its slot, out of traffic by HAProxy's
 * own check). Every change (a registration, a deregistration's drain, a round's reconcile, a target
 * found restarted) gets a snapshot of the wanted state, with the change index it stands at, read after
 * the change (changes arriving together share one read), and every HAProxy is handed the snapshots in
 * the order read. Each HAProxy applies it in its own queue,
 * so a slow one holds up nobody else, and a change waits for each at most HAPROXY_PUSH_TIMEOUT_MS.
 * Never throws: with an HAProxy down it logs, and its return is noticed and healed.
 */
@Injectable()
export class HaproxyMembership {
  /**
   * The snapshot read that every push arriving now joins: it starts once the read in flight has ended,
   * so it sees every change made before its callers asked. One read serves a burst of registrations
   * (on DynamoDB a read of every instance is a Query per service).
   */
  private queued?: { targets: Set<HaproxyTarget>; handed: Promise<Handed> };
  private inFlight: Promise<unknown> = Promise.resolve();
  /** Deregistered instances finishing their requests: their slots stay theirs until drained. */
  private readonly logger = new Logger(HaproxyMembership.name);
  private readonly draining = new Map<string, { server: WantedServer; token: symbol }>();
  /** Servers in maintenance whose drain has ended here: they go to HAProxy's maintenance at once. */
  private readonly drained = new Set<string>();

  constructor(
    private readonly targets: HaproxyTargets,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstanceStore,
    private readonly changes: ChangeIndex,
  ) {}

  /** The HAProxy server (`backend/slot`) held for an instance on the first HAProxy, or null. */
  serverOf(serviceName: string, id: string): string | null {
    return this.targets.primary?.serverOf(serverKey({ backend: serviceName, id })) ?? null;
  }

  /** True when the instance is passing but its backend had no free slot at the last sync. */
  lacksSlot(serviceName: string, id: string): boolean {
    return this.targets.primary?.lacksSlot(serverKey({ backend: serviceName, id })) ?? false;
  }

  /** Routes a just-registered (or re-registered) server, cancelling its drain if one is running. */
  async add(server: WantedServer): Promise<void> {
    this.draining.delete(serverKey(server));
    await this.reconcile();
  }

  /**
   * Takes a server an operator put in maintenance out of traffic: its slot drains on every HAProxy
   * until its requests are done (bounded by HAPROXY_DRAIN_TIMEOUT_MS), then goes to HAProxy's
   * maintenance (no checks, no traffic). A sync meanwhile never puts it back. Returns the HAProxies
   * that did not answer: each takes it out when it is back (its reconcile asks for `maint`).
   */
  async holdOut(server: WantedServer): Promise<string[]> {
    const key = serverKey(server);
    this.drained.delete(key);
    await this.reconcile();
    const deadline = Date.now() + this.config.HAPROXY_DRAIN_TIMEOUT_MS;
    await Promise.all(this.targets.all.map((target) => this.drainOn(target, key, () => true, deadline)));
    this.drained.add(key);
    await this.reconcile();
    return this.targets.all.filter((target) => !target.status().reachable).map((target) => target.label);
  }

  /** Routes a server again once its maintenance has ended (and it passed the check that ended it). */
  async release(server: WantedServer): Promise<void> {
    this.drained.delete(serverKey(server));
    await this.reconcile();
  }

  /**
   * Deregisters a server: `forget` (which deletes its record) runs at once, then the server's slot
   * drains on every HAProxy (bounded by HAPROXY_DRAIN_TIMEOUT_MS) and is emptied.
   */
  async drainAndRemove(server: WantedServer, forget: () => Promise<unknown>): Promise<void> {
    const key = serverKey(server);
    const token = Symbol(key);
    this.drained.delete(key);
    // Marked before the record goes: a sync never sees it neither wanted nor draining.
    this.draining.set(key, { server, token });
    try {
      await forget();
    } catch (error) {
      this.draining.delete(key);
      throw error;
    }
    const stillDraining = () => this.draining.get(key)?.token === token;
    const deadline = Date.now() + this.config.HAPROXY_DRAIN_TIMEOUT_MS;
    try {
      await Promise.all(this.targets.all.map((target) => this.drainOn(target, key, stillDraining, deadline)));
    } finally {
      if (stillDraining()) this.draining.delete(key);
      await this.reconcile();
    }
  }

  /** Makes every HAProxy's slots match the registry's instances; returns what the first one did. */
  async reconcile(): Promise<SyncResult | undefined> {
    const results = await this.push(this.targets.all);
    return results[0];
  }

  /** Reconciles one HAProxy in full (found restarted, back, or lagging). */
  async reconcileTarget(target: HaproxyTarget): Promise<void> {
    await this.push([target]);
  }

  /**
   * Reads a snapshot and hands it to `targets`; waits for each at most the push timeout. Never throws: with the store failing, the change that asked (already written) still answers, and
   * the HAProxies catch up at the next push, round or lag check.
   */
  private async push(targets: readonly HaproxyTarget[]): Promise<(SyncResult | undefined)[]> {
    if (targets.length === 0) return [];
    try {
      const { snapshot, pushes } = await this.handOver(targets);
      const results = await Promise.all(targets.map((target) => this.bounded(pushes.get(target)!)));
      if (results.some((r) => r && (r.filled || r.emptied))) await this.slotsChanged(snapshot);
      return results;
    } catch (error) {
      this.logger.warn(`HAProxy not updated: the store did not answer (${(error as Error).message})`);
      return [];
    }
  }

  /** Joins the queued read (or queues one) for `targets`; resolves once it has been handed to them. */
  private handOver(targets: readonly HaproxyTarget[]): Promise<Handed> {
    if (!this.queued) {
      const wanted = new Set<HaproxyTarget>();
      const handed = this.inFlight.then(async (): Promise<Handed> => {
        this.queued = undefined; // pushes from now on join the next read
        const snapshot = await this.snapshot();
        // Handed over at once: every HAProxy gets snapshots in the order they were read.
        return { snapshot, pushes: new Map([...wanted].map((t) => [t, t.push(snapshot)])) };
      });
      this.inFlight = handed.catch(() => undefined);
      this.queued = { targets: wanted, handed };
    }
    for (const target of targets) this.queued.targets.add(target);
    return this.queued.handed;
  }

  private async snapshot(): Promise<Snapshot> {
    // The index first: the instances read after it are at least that new, so a label never overstates.
    const index = await this.changes.current();
    const now = Date.now();
    const servers = (await this.instances.all()).map((instance) => {
      // In maintenance: drains, then (drained here, or for long enough by whoever drove it) maint.
      const server = haproxyServer(instance, this.config.HAPROXY_DRAIN_TIMEOUT_MS, now);
      return server.hold && this.drained.has(serverKey(server))
        ? { ...server, hold: 'maint' as const }
        : server;
    });
    return { index, servers, draining: [...this.draining.values()].map((d) => d.server) };
  }

  /**
   * Slots moved, so the instances' `haproxy_server` changed: the change index moves for watchers. Every
   * HAProxy that holds exactly the snapshot's index is current at the new one (a slot is not wanted state).
   */
  private async slotsChanged(snapshot: Snapshot): Promise<void> {
    const index = await this.changes.bump();
    // Not awaited: bookkeeping that must not hold a change up behind a stopped HAProxy's queue.
    if (index === snapshot.index + 1) {
      for (const target of this.targets.all) void target.advance(snapshot.index, index);
    } else {
      // Other changes landed meanwhile (concurrent registrations): one more push labels them all.
      void this.push(this.targets.all);
    }
  }

  private async drainOn(
    target: HaproxyTarget,
    key: string,
    stillDraining: () => boolean,
    deadline: number,
  ): Promise<void> {
    // Bounded by the drain's own deadline, not the push timeout: a target whose queue is busy still
    // drains before the reconcile after it empties the slot (a failed target answers at once).
    const slot = await this.bounded(target.drain(key), deadline - Date.now());
    while (slot && stillDraining() && Date.now() < deadline) {
      if ((await target.sessions(slot)) === 0) return;
      await sleep(DRAIN_POLL_MS);
    }
  }

  /** `work`'s result, or undefined once `ms` (HAPROXY_PUSH_TIMEOUT_MS) have passed (the work goes on). */
  private async bounded<T>(
    work: Promise<T>,
    ms = this.config.HAPROXY_PUSH_TIMEOUT_MS,
  ): Promise<T | undefined> {
    const timer = new AbortController();
    try {
      return await Promise.race([
        work,
        sleep(Math.max(0, ms), undefined, { signal: timer.signal }).catch(() => undefined),
      ]);
    } finally {
      timer.abort();
    }
  }
}
