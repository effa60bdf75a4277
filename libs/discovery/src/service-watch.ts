import axios, { type AxiosInstance } from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';

/** An instance as the registry lists it to a watcher (the fields every registry version has). */
export interface WatchedInstance {
  id: string;
  service_name: string;
  url: string;
  status?: string;
  haproxy_server?: string | null;
}

/** What a {@link ServiceWatch} follows, and what it calls. */
export interface ServiceWatchOptions {
  /** The registry's base URL (REGISTRY_URL). */
  registryUrl: string;
  service: string;
  /** Called with the service's passing instances first, then each time they change. */
  onChange: (instances: WatchedInstance[], index: number) => void;
  /** Called when a query fails; the watch retries by itself, backing off up to 30 s. */
  onError?: (error: unknown) => void;
  /** How long each blocking query may be held (default 60 s; the registry caps it at 5 min). */
  waitSeconds?: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Follows one service's passing instances without polling: a loop of blocking queries on
 * `GET /services/:name/instances?index=&wait=`, each held by the registry until its change index moves.
 * Only a real change of the list reaches `onChange` (the index also moves for other services).
 */
export class ServiceWatch {
  private readonly http: AxiosInstance;
  private readonly abort = new AbortController();
  private running?: Promise<void>;
  private last?: string;
  /** The change index of the latest answer (0 before the first). */
  index = 0;

  constructor(private readonly options: ServiceWatchOptions) {
    const wait = options.waitSeconds ?? 60;
    this.http = axios.create({
      baseURL: options.registryUrl,
      // Longer than the registry may hold the query (its wait plus 1/16 of jitter).
      timeout: Math.ceil(wait * (17 / 16) + 5) * 1000,
      maxRedirects: 0,
      proxy: false,
      signal: this.abort.signal,
      params: { wait: `${wait}s` },
    });
  }

  /** Starts following (once); the first answer comes at once. */
  start(): this {
    this.running ??= this.follow();
    return this;
  }

  /** Stops following: the held query is abandoned at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async follow(): Promise<void> {
    const path = `/services/${encodeURIComponent(this.options.service)}/instances`;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const response = await this.http.get<{ instances: WatchedInstance[] }>(path, {
          params: { index: this.index },
        });
        // Taken as it comes, even when lower (a restored registry): the registry answers a stale index at once.
        this.index = Number(response.headers['x-registry-index']) || 0;
        failures = 0;
        this.deliver(response.data.instances);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.onError?.(error);
        const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures++);
        await sleep(backoff * (0.5 + Math.random() / 2), undefined, { signal: this.abort.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  private deliver(instances: WatchedInstance[]): void {
    const seen = JSON.stringify(instances);
    if (seen === this.last) return;
    this.last = seen;
    this.options.onChange(instances, this.index);
  }
}
