import { Logger } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { RuntimeApi } from './runtime-api';
import { parseServerStats, type ServerStat } from './server-stats';
import type { TargetStatus } from './dto/target-status.view';
import {
  PARKED,
  parseBackends,
  parseSlots,
  planSlots,
  type Slot,
  slotId,
  type SlotPlan,
  type WantedServer,
} from './slots';

/**
 * The runtime map (declared in haproxy.cfg, loaded from an empty file) where each HAProxy keeps the
 * registry change index it has applied. It lives in HAProxy itself, so a registry that restarts, or
 * another registry, knows where this HAProxy stands; and it is empty again when HAProxy restarts.
 */
export const APPLIED_MAP = 'maps/registry.map';
const APPLIED_KEY = 'applied_index';

/** The registry's wanted state at one change index, read once and pushed to every HAProxy. */
export interface Snapshot {
  index: number;
  servers: WantedServer[];
  /** Deregistered servers still finishing their requests: their slots stay theirs. */
  draining: WantedServer[];
}

/** What one sync changed in an HAProxy and what it could not route. */
export interface SyncResult {
  filled: number;
  emptied: number;
  /** Routable (passing) instances whose backend has no free slot. */
  unrouted: WantedServer[];
}

/** Answers of the Runtime API that mean a command was refused. */
const REFUSED = /no such|require|invalid|unknown|error|fail|not found/i;

/**
 * One HAProxy the registry drives. Its syncs take turns in its own queue, so a slow or stopped
 * HAProxy holds up nobody else; a sync always applies the newest snapshot there is when its turn
 * comes, never one older than what this HAProxy has applied (its applied index, read from HAProxy).
 */
export class HaproxyTarget {
  private readonly logger: Logger;
  private readonly queue = new Mutex();
  /** The newest snapshot handed to this target, and the one it applied last. */
  private latest?: Snapshot;
  private applied?: Snapshot;
  /** `service/instance id` → the slot carrying it (`likes/s3`), as of the last sync. */
  private held = new Map<string, string>();
  private unrouted = new Set<string>();
  private appliedIndex: number | null = null;
  /** False until HAProxy answers, and after a command fails to reach it. */
  private reachable = false;
  /** Set when a command failed: pushes skip it until a probe finds it back (and reconciles it in full). */
  private failed = false;
  /** `pid@start time` of the HAProxy process last seen, to notice a restart. */
  private process: string | null = null;
  private startedAt: string | null = null;
  private lastError: string | null = null;
  /** Store indexes seen (by the monitor) that this HAProxy had not applied yet, oldest first. */
  private unapplied: { index: number; seenAt: number }[] = [];
  /** False when haproxy.cfg declares no {@link APPLIED_MAP} (an older config): no index is kept. */
  private keepsIndex = true;

  constructor(
    readonly api: RuntimeApi,
    private readonly onError: () => void,
    /** Reads the registry's change index, to tell a newer index in the map from a foreign one. */
    private readonly storeIndex: () => Promise<number>,
  ) {
    this.logger = new Logger(`HAProxy ${api.label}`);
  }

  get label(): string {
    return this.api.label;
  }

  /** The HAProxy server (`backend/slot`) held for `service/id`, as of the last sync. */
  serverOf(key: string): string | null {
    return this.held.get(key) ?? null;
  }

  /** True when `service/id` is passing but found no free slot at the last sync. */
  lacksSlot(key: string): boolean {
    return this.unrouted.has(key);
  }

  /**
   * Applies `snapshot` (or a newer one handed over before its turn comes) in this target's queue.
   * Resolves once this target holds that state or newer; undefined when nothing was applied
   * (HAProxy unreachable, or it already holds a newer index). Never throws.
   */
  push(snapshot: Snapshot): Promise<SyncResult | undefined> {
    if (!this.latest || snapshot.index >= this.latest.index) this.latest = snapshot;
    if (this.failed) return Promise.resolve(undefined);
    return this.queue.runExclusive(async () => {
      const next = this.latest;
      if (!next || next === this.applied) return undefined; // a newer push already applied it
      return this.attempt(() => this.sync(next));
    });
  }

  /** Starts draining the slot of `key` (new requests go elsewhere); the slot's id, or null without one. */
  drain(key: string): Promise<string | null> {
    return this.queue.runExclusive(async () => {
      const slot = this.held.get(key);
      if (!slot || !this.reachable) return null;
      const done = await this.attempt(() => this.api.execute(`set server ${slot} state drain`));
      return done === undefined ? null : slot;
    });
  }

  /** HAProxy's own view of every server slot (`show stat`), read, never changed. */
  async servers(): Promise<ServerStat[]> {
    return parseServerStats(await this.api.execute('show stat -1 4 -1'));
  }

  /** The sessions open on `slot` now; 0 when HAProxy does not answer (nothing left to wait for). */
  async sessions(slot: string): Promise<number> {
    try {
      return (await this.servers()).find((s) => slotId(s) === slot)?.sessions ?? 0;
    } catch {
      return 0;
    }
  }

  /**
   * Reads `show info` and the applied index (about every second): 'restarted' when the HAProxy process
   * changed (it lost every slot), 'returned' when it answers again after failing, else 'same'; null
   * when it does not answer.
   */
  async probe(): Promise<'restarted' | 'returned' | 'same' | null> {
    try {
      const info = await this.api.execute('show info');
      const pid = /^Pid: (\d+)/m.exec(info)?.[1];
      const start = /^Start_time_sec: (\d+)/m.exec(info)?.[1];
      if (!pid) throw new Error(`unexpected answer to "show info": ${info.slice(0, 80)}`);
      const process = `${pid}@${start}`;
      const seen = this.process;
      const restarted = seen !== null && seen !== process;
      if (restarted) this.keepsIndex = true; // its config may declare the map now
      const read = await this.readAppliedIndex();
      // Read outside the queue: a sync may have written a newer index meanwhile. Only a restart
      // (an empty map) moves it down.
      this.appliedIndex =
        restarted || this.appliedIndex === null || read === null ? read : Math.max(read, this.appliedIndex);
      const wasReachable = this.reachable;
      this.process = process;
      this.startedAt = start ? new Date(Number(start) * 1000).toISOString() : null;
      this.markReachable();
      if (restarted) {
        this.logger.warn(`restarted (pid ${pid}): its slots are reconciled now`);
        this.applied = undefined;
        this.unapplied = [];
        return 'restarted';
      }
      return wasReachable ? 'same' : 'returned';
    } catch (error) {
      this.markUnreachable(error);
      return null;
    }
  }

  /**
   * Compares this HAProxy's applied index with the registry's `current` one (read about every second);
   * returns how long ago the oldest index it has not applied was first seen, in ms (0 when current).
   * Measured that way, steady changes that each reach it within a second never add up to a lag.
   */
  observeLag(current: number, now = Date.now()): number {
    if (!this.keepsIndex) return 0; // no index to compare: only restarts and returns are noticed
    const applied = this.appliedIndex ?? -1;
    if (current > applied && (this.unapplied.at(-1)?.index ?? -1) < current) {
      this.unapplied.push({ index: current, seenAt: now });
    }
    this.unapplied = this.unapplied.filter((seen) => seen.index > applied);
    return this.lag(now);
  }

  private lag(now: number): number {
    const oldest = this.unapplied[0];
    return oldest ? now - oldest.seenAt : 0;
  }

  /** Records that this HAProxy holds `index` when it still held `previous` (nothing else changed it). */
  advance(previous: number, index: number): Promise<void> {
    return this.queue.runExclusive(async () => {
      if (this.appliedIndex !== previous) return;
      await this.attempt(() => this.writeAppliedIndex(index));
    });
  }

  status(now = Date.now()): TargetStatus {
    return {
      address: this.label,
      reachable: this.reachable,
      applied_index: this.appliedIndex,
      lag_ms: this.lag(now),
      started_at: this.startedAt,
      last_error: this.lastError,
    };
  }

  private async sync(snapshot: Snapshot): Promise<SyncResult | undefined> {
    const applied = await this.readAppliedIndex();
    // Another registry (or a later push) already gave it a newer state: never go back. Unless the
    // store has never reached that index (it was reset or restored, or another deployment drove this
    // HAProxy): then the map is foreign, and waiting for the store to pass it would leave it wrong.
    if (applied !== null && applied > snapshot.index && applied <= (await this.storeIndex())) {
      this.appliedIndex = applied;
      this.applied = snapshot;
      return undefined;
    }
    const backends = parseBackends(await this.api.execute('show backend'));
    const slots = parseSlots(await this.api.execute('show servers state'));
    // A newer snapshot handed over while HAProxy answered: apply that one, the freshest there is.
    const wanted = this.latest && this.latest.index >= snapshot.index ? this.latest : snapshot;
    const plan = planSlots(backends, slots, wanted.servers, wanted.draining);
    let [filled, emptied, refused] = [0, 0, 0];
    for (const slot of plan.empty) {
      if (await this.empty(slot)) emptied++;
      else refused++;
    }
    for (const { slot, server } of plan.fill) {
      if (await this.fill(slot, server)) filled++;
      else refused++;
    }
    for (const { slot, weight } of plan.weigh) {
      if (!(await this.command(slot, [`set server ${slotId(slot)} weight ${weight}`]))) refused++;
    }
    for (const { slot, enable } of plan.checks) {
      if (!(await this.command(slot, [`${enable ? 'enable' : 'disable'} health ${slotId(slot)}`]))) refused++;
    }
    for (const { slot, up } of plan.health) {
      if (!(await this.command(slot, [`set server ${slotId(slot)} health ${up ? 'up' : 'down'}`]))) refused++;
    }
    for (const slot of plan.ready) {
      // Passing by the registry's own check (after a recovery, or the check that ended a maintenance).
      const id = slotId(slot);
      if (!(await this.command(slot, [`set server ${id} health up`, `set server ${id} state ready`]))) {
        refused++;
      }
    }
    for (const { slot, state } of plan.hold) {
      if (!(await this.command(slot, [`set server ${slotId(slot)} state ${state}`]))) refused++;
    }
    const done = refused === 0;
    // A refused command left it short of the snapshot: its index stays behind, so it shows as lagging
    // and is reconciled again (HAPROXY_MAX_LAG_MS), rather than claiming a state it does not hold.
    if (done) await this.writeAppliedIndex(wanted.index);
    this.applied = done ? wanted : undefined;
    this.record(plan);
    if (filled || emptied) this.logger.log(`slots: +${filled} filled, -${emptied} emptied`);
    // Only what HAProxy took: a refused fill moves no instance's haproxy_server.
    return { filled, emptied, unrouted: plan.unrouted };
  }

  private fill(slot: Slot, { host, port, weight, selfChecked }: WantedServer): Promise<boolean> {
    const id = slotId(slot);
    // It just registered or passed a check: take it as up rather than wait for HAProxy's first check.
    return this.command(slot, [
      `set server ${id} addr ${host} port ${port}`,
      `set server ${id} weight ${weight}`,
      `${selfChecked ? 'enable' : 'disable'} health ${id}`,
      `set server ${id} health up`,
      `set server ${id} state ready`,
    ]);
  }

  /** Out of traffic at once, its requests cut (a pruned instance is dead anyway), parked. */
  private empty(slot: Slot): Promise<boolean> {
    const id = slotId(slot);
    return this.command(slot, [
      `set server ${id} state maint`,
      `shutdown sessions server ${id}`,
      `set server ${id} addr ${PARKED.host} port ${PARKED.port}`,
    ]);
  }

  /** Runs `commands` in one Runtime API call; HAProxy's complaints are counted and logged, not thrown. */
  private async command(slot: Slot, commands: string[]): Promise<boolean> {
    const answer = await this.api.execute(commands.join('; '));
    if (!REFUSED.test(answer)) return true;
    this.onError();
    this.logger.warn(`refused a change to ${slotId(slot)}: ${answer.replace(/\s+/g, ' ')}`);
    return false;
  }

  /** The index in {@link APPLIED_MAP}; null when it holds none (or the config declares no such map). */
  private async readAppliedIndex(): Promise<number | null> {
    if (!this.keepsIndex) return null;
    const answer = await this.api.execute(`get map ${APPLIED_MAP} ${APPLIED_KEY}`);
    if (/unknown map/i.test(answer)) {
      this.keepsIndex = false;
      this.logger.warn(`its config declares no ${APPLIED_MAP}: it is reconciled without an applied index`);
      return null;
    }
    const value = /found=yes.*value="(\d+)"/.exec(answer)?.[1];
    return value === undefined ? null : Number(value);
  }

  /**
   * Replaces the map's contents with the one entry, atomically (`prepare map`, `add map @version`,
   * `commit map`): `add map` alone would add a second entry beside one another registry just added,
   * and `get map` could then read the older of the two.
   */
  private async writeAppliedIndex(index: number): Promise<void> {
    if (!this.keepsIndex) return;
    const prepared = await this.api.execute(`prepare map ${APPLIED_MAP}`);
    const version = /version created: (\d+)/i.exec(prepared)?.[1];
    if (!version) throw new Error(`map ${APPLIED_MAP}: ${prepared.replace(/\s+/g, ' ')}`);
    const answer = await this.api.execute(
      `add map @${version} ${APPLIED_MAP} ${APPLIED_KEY} ${index}; commit map @${version} ${APPLIED_MAP}`,
    );
    if (REFUSED.test(answer)) throw new Error(`map ${APPLIED_MAP}: ${answer.replace(/\s+/g, ' ')}`);
    this.appliedIndex = index;
  }

  private record(plan: SlotPlan): void {
    this.held = new Map([...plan.held].map(([key, slot]) => [key, slotId(slot)] as const));
    const unrouted = new Set(plan.unrouted.map((s) => `${s.backend}/${s.id}`));
    for (const key of unrouted) {
      if (!this.unrouted.has(key)) {
        this.logger.warn(`${key} is registered but not routed: its backend has no free slot (HAPROXY_SLOTS)`);
      }
    }
    for (const key of this.unrouted) {
      if (!unrouted.has(key) && plan.held.has(key)) this.logger.log(`${key} is routed now`);
    }
    this.unrouted = unrouted;
  }

  /** Runs `work`, keeping reachability and the last error; undefined when HAProxy did not answer. */
  private async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      this.markReachable();
      return result;
    } catch (error) {
      this.onError();
      this.markUnreachable(error);
      return undefined;
    }
  }

  private markReachable(): void {
    if (this.failed) this.logger.log('Runtime API reachable again');
    this.reachable = true;
    this.failed = false;
  }

  private markUnreachable(error: unknown): void {
    const message = (error as Error).message;
    if (this.reachable || this.lastError === null) this.logger.warn(`not updated: ${message}`);
    this.lastError = message;
    this.reachable = false;
    this.failed = true;
    this.applied = undefined; // whatever it holds is unknown now: the next push applies in full
  }
}
