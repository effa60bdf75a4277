import { OverloadedError } from '@app/errors';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { ChangeIndex } from '../store/registry-store';

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
  private polling = false;

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly index: ChangeIndex,
    metrics: RegistryMetrics,
  ) {
    metrics.countHeldWatches(() => this.held.size);
    index.onChange(() => {
      if (this.held.size > 0) void this.poll();
    });
  }

  /** The change index now. */
  current(): Promise<number> {
    return this.index.current();
  }

  /**
   * Resolves once the index differs from `seen` (ahead of it after a restore too: that answers at
   * once), after `waitMs`, or when `gone` aborts (the client left: its hold must not count against the
   * limit); throws {@link OverloadedError} when too many queries are held.
   */
  async waitPast(seen: number, waitMs: number, gone?: AbortSignal): Promise<void> {
    if (this.stopping || gone?.aborted || (await this.index.current()) !== seen) return;
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
      // Another registry sharing the store cannot notify this one: while something is held, the index
      // is re-read every pollMs (one point read), and this process's own changes release at once (onChange).
      this.poller ??= setInterval(() => void this.poll(), this.index.pollMs);
    });
  }

  /** SIGTERM: every held query answers now, and new ones do not wait. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const held of this.held) held.release();
  }

  private async poll(): Promise<void> {
    if (this.polling) return; // a slow store: one read at a time
    this.polling = true;
    try {
      const now = await this.index.current();
      for (const held of this.held) if (held.seen !== now) held.release();
    } catch {
      // the store failing for a moment: keep holding, the wait bounds it
    } finally {
      this.polling = false;
    }
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }
}
