import { ConflictError } from '@app/errors';
import type { Instance, InstanceChanges, Registration } from '../instances/instance';
import type { MassFailure, PrunePolicy } from '../instances/prune-plan';
import type { CheckOutcome } from './check-transition';
import type { CheckRecord, LeaseRecord, RoundRecord, RoundTally } from './records';

/**
 * The registry's store, seen by everything above it as these five parts (one per aggregate), each
 * implemented once on SQLite and once on DynamoDB and chosen once, from REGISTRY_STORE, by
 * {@link StoreModule}. Every operation is async. Every write that a watcher could see bumps the change
 * index in the same atomic write as the change itself. A store that cannot answer (SQLite locked past
 * its busy timeout or its disk full, DynamoDB throttling or unreachable) throws StoreUnavailableError
 * naming it; nothing was changed then.
 */

/** Which store answers: `sqlite` or `dynamodb` (the name in 503s, health and metrics). */
export type StoreName = 'sqlite' | 'dynamodb';

/**
 * The checker's proof of leadership: the lease epoch it was granted. A store refuses a fenced write
 * (throws {@link FencedError}, nothing changed) once the lease has been granted to anyone since.
 */
export interface Fence {
  epoch: number;
}

/** A fenced write found the lease granted past its epoch: the writer no longer leads. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
  constructor(readonly epoch: number) {
    super(`lease epoch ${epoch} is no longer current: this registry no longer leads`);
  }
}

/** What a round changed: the instances it pruned and the services whose prunes it withheld. */
export interface RoundChanges {
  pruned: Instance[];
  massFailures: MassFailure[];
}

/** The thresholds a round applies: when to prune, and when a critical instance is passing again. */
export type RoundPolicy = PrunePolicy & { HEALTH_SUCCESSES_BEFORE_PASSING: number };

/** How {@link InstanceStore.update} writes. */
export interface UpdateOptions {
  /** False for a change no watcher is shown (a TTL renewal: its deadline and sign of life): no index bump. */
  visible?: boolean;
  /**
   * The record as the caller read it: the write happens only if nothing changed it since (a round, a
   * report, a re-registration, another update), else {@link ChangedMeanwhileError} and nothing is written.
   */
  ifUnchanged?: Instance;
}

/** A conditional update found the record changed since it was read: read it again and decide again. */
export class ChangedMeanwhileError extends ConflictError {
  constructor(serviceName: string, id: string) {
    super(`instance ${id} of service ${serviceName} changed meanwhile; try again`);
  }
}

/** The membership: the source of truth for HAProxy and for every read of instances. */
export abstract class InstanceStore {
  abstract find(serviceName: string, id: string): Promise<Instance | undefined>;

  /** Every instance, by service, then registration time. */
  abstract all(): Promise<Instance[]>;

  /** One service's instances, by registration time. */
  abstract byService(serviceName: string): Promise<Instance[]>;

  /** Inserts or refreshes an instance (passing, counters reset); `created` tells which. Atomic with its index bump. */
  abstract register(
    registration: Registration,
    now?: number,
  ): Promise<{ instance: Instance; created: boolean }>;

  /**
   * Changes an instance's operator settings (weight, maintenance) or records a check made outside a
   * round (the one that ends a maintenance); returns the record after, or undefined when there is no
   * such instance. Atomic with its index bump (see {@link UpdateOptions} for when there is none, and
   * for writing only over the record as it was read).
   */
  abstract update(
    serviceName: string,
    id: string,
    changes: InstanceChanges,
    options?: UpdateOptions,
  ): Promise<Instance | undefined>;

  /** Removes an instance; false when there was none. Atomic with its index bump. */
  abstract deregister(serviceName: string, id: string): Promise<boolean>;

  /**
   * Applies a round's outcomes (probed from `probedAt` on) as {@link afterCheck} says, writing only the
   * instances they change, then prunes as planPrunes decides from the membership as it is now. An
   * instance that re-registered or left while the round ran keeps its fresh state. Fenced: on SQLite
   * one transaction; on DynamoDB transactions of at most 100 items, each fenced and each bumping the
   * index when it changes what a watcher sees (a refused one ends the round).
   */
  abstract applyRound(
    outcomes: CheckOutcome[],
    policy: RoundPolicy,
    probedAt: number,
    fence: Fence,
    now?: number,
  ): Promise<RoundChanges>;

  /** Applies a recheck of critical instances (never pruning); returns those passing again. Fenced. */
  abstract applyRecheck(
    outcomes: CheckOutcome[],
    successesBeforePassing: number,
    probedAt: number,
    fence: Fence,
    now?: number,
  ): Promise<Instance[]>;
}

/**
 * The change index (Consul's `X-Consul-Index`): one counter every registry sharing the store shares,
 * bumped with every change a watcher could see. It never goes backwards.
 */
export abstract class ChangeIndex {
  private readonly listeners = new Set<() => void>();
  private notifying = false;

  /** How often a registry holding a blocking query re-reads the index, to see other registries' changes. */
  abstract readonly pollMs: number;

  abstract current(): Promise<number>;

  /** Counts a change that lives outside the store (HAProxy's slots moved: `haproxy_server` changed). */
  abstract bump(): Promise<number>;

  /** Calls `listener` shortly after this process changed something (other processes' changes are polled). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Tells this process's listeners, once per tick, that a change has been committed. */
  changed(): void {
    if (this.notifying || this.listeners.size === 0) return;
    this.notifying = true;
    setImmediate(() => {
      this.notifying = false;
      for (const listener of this.listeners) listener();
    });
  }
}

/** The bounded history of health checks. */
export abstract class CheckHistory {
  /** Appends checks (in batches); the history keeps about `limit` of the newest. */
  abstract append(records: CheckRecord[], limit: number): Promise<void>;

  /** A service's checks, newest first. */
  abstract byService(serviceName: string, limit: number): Promise<CheckRecord[]>;

  /** The latest `perInstance` checks of every instance, oldest first. */
  abstract latestPerInstance(perInstance: number): Promise<CheckRecord[]>;
}

/** The log of health-check rounds, the newest 1 000 kept. */
export abstract class RoundLog {
  /** Records a round's start by the leader; returns its sequence number. Fenced. */
  abstract start(holder: string, fence: Fence, now?: number): Promise<number>;

  /** Records what the round found. Fenced. */
  abstract finish(seq: number, tally: RoundTally, fence: Fence, now?: number): Promise<void>;

  /** The latest rounds, newest first. */
  abstract recent(limit: number): Promise<RoundRecord[]>;
}

/**
 * The checker's lease, as the AWS DynamoDB Lock Client keeps one: the holder replaces a random record
 * version number (RVN) to show it is alive; no clock is ever compared. Every grant adds 1 to the epoch,
 * which fenced writes carry.
 */
export abstract class CheckerLease {
  abstract read(): Promise<LeaseRecord | undefined>;

  /**
   * Grants the lease to `holder` with `rvn` if its RVN is still `seenRvn` (null: no lease was ever
   * granted), or if it was released; returns the new epoch, or undefined when someone else moved it.
   */
  abstract take(holder: string, seenRvn: string | null, rvn: string): Promise<number | undefined>;

  /** Replaces the RVN if `holder` still holds `epoch`; false when it does not. */
  abstract renew(holder: string, epoch: number, rvn: string): Promise<boolean>;

  /** Gives the lease up (if still held) so another registry can take it at once. */
  abstract release(holder: string, epoch: number): Promise<void>;
}

/** Whether the store answers, for the registry's health check. */
export abstract class StorePing {
  abstract readonly name: StoreName;
  abstract ping(): Promise<void>;
}
