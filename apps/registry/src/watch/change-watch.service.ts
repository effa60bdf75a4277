import { OverloadedError } from '@app/errors';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { ChangeIndexRepository } from './change-index.repository';

/**
 * How often a process re-reads the index while it holds a query. The index lives in SQLite and may be
 * bumped by another registry process sharing the database, which cannot notify this one; one point read
 * every 100 ms, only while something is held, is cheap and catches those. This process's own changes
 * release the held queries at once (ChangeIndexRepository.onBump).
 */
const POLL_MS = 100;

interface Held {
  seen: number;
  timer: NodeJS.Timeout;
  release: () => void;
}

/**
 * Holds blocking queries (Consul's): each waits until the change index moves past the one its caller
 * saw, its wait ends (plus up to 1/16 of jitter, so watchers spread out), or the registry shuts down.
 * At most REGISTRY_MAX_HELD_QUERIES are held at once.
 */
@Injectable()
export class ChangeWatchService implements BeforeApplicationShutdown {
  private readonly held = new Set<Held>();
  private poller?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly index: ChangeIndexRepository,
    metrics: RegistryMetrics,
  ) {
    metrics.countHeldWatches(() => this.held.size);
    index.onBump(() => {
      if (this.held.size > 0) this.poll();
    });
  }

  /** The change index now. */
  current(): number {
    return this.index.current();
  }

  /**
   * Resolves once the index differs from `seen` (ahead of it after a restore too: that answers at
   * once), after `waitMs`, or when `gone` aborts (the client left: its hold must not count against the
   * limit); throws {@link OverloadedError} when too many queries are held.
   */
  async waitPast(seen: number, waitMs: number, gone?: AbortSignal): Promise<void> {
    if (this.stopping || gone?.aborted || this.index.current() !== seen) return;
    const limit = this.config.REGISTRY_MAX_HELD_QUERIES;
    if (this.held.size >= limit) {
      throw new OverloadedError(
        `${limit} blocking queries are held already (REGISTRY_MAX_HELD_QUERIES); retry shortly`,
      );
    }
    await new Promise<void>((resolve) => {
      const jitter = (Math.random() * waitMs) / 16;
      const held: Held = {
        seen,
        timer: setTimeout(() => held.release(), waitMs + jitter),
        release: () => {
          clearTimeout(held.timer);
          gone?.removeEventListener('abort', held.release);
          this.held.delete(held);
          if (this.held.size === 0) this.stopPolling();
          resolve();
        },
      };
      this.held.add(held);
      gone?.addEventListener('abort', held.release);
      this.poller ??= setInterval(() => this.poll(), POLL_MS);
    });
  }

  /** SIGTERM: every held query answers now, and new ones do not wait. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const held of this.held) held.release();
  }

  private poll(): void {
    let now: number;
    try {
      now = this.index.current();
    } catch {
      return; // SQLite busy for a moment: keep holding, the wait bounds it
    }
    for (const held of this.held) if (held.seen !== now) held.release();
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }
}
