import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Instance } from '../instances/instance';

/** Seconds; a round lasts from milliseconds up to a few check timeouts. */
const ROUND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The registry's own metrics beside every app's: check rounds, checks by result, instances by service
 * and status, and HAProxy sync errors. Each part of the registry records its own.
 */
@Injectable()
export class RegistryMetrics {
  private readonly rounds: Histogram;
  private readonly checks: Counter<'service' | 'result'>;
  private readonly syncErrors: Counter<'target'>;
  private readonly fencedWrites: Counter;

  constructor(private readonly registry: Registry) {
    const registers = [registry];
    this.rounds = new Histogram({
      name: 'chirp_registry_round_duration_seconds',
      help: 'Duration of the health-check rounds this registry ran (probes, records, prunes, HAProxy reconcile).',
      buckets: ROUND_BUCKETS,
      registers,
    });
    this.checks = new Counter({
      name: 'chirp_registry_checks_total',
      help: 'Health checks made, by service and result (passed or failed).',
      labelNames: ['service', 'result'],
      registers,
    });
    this.syncErrors = new Counter({
      name: 'chirp_registry_haproxy_sync_errors_total',
      help: 'HAProxy membership changes that failed, by HAProxy (its Runtime API address): unreachable, or a command refused.',
      labelNames: ['target'],
      registers,
    });
    this.fencedWrites = new Counter({
      name: 'chirp_registry_fenced_writes_total',
      help: "Checker writes refused because this registry's lease epoch was no longer current (or its lease had run out here).",
      registers,
    });
  }

  /** Records one refused checker write: this registry stopped leading. */
  fenced(): void {
    this.fencedWrites.inc();
  }

  /** Publishes whether this registry leads the health checks (1) or not (0), read at each scrape. */
  countLeadership(leading: () => boolean): void {
    new Gauge({
      name: 'chirp_registry_leader',
      help: 'Whether this registry holds the checker lease (1) or not (0).',
      registers: [this.registry],
      collect() {
        this.set(leading() ? 1 : 0);
      },
    });
  }

  /** Records one finished round that took `seconds`. */
  round(seconds: number): void {
    this.rounds.observe(seconds);
  }

  /** Records one health check of an instance of `service`. */
  check(service: string, passed: boolean): void {
    this.checks.inc({ service, result: passed ? 'passed' : 'failed' });
  }

  /** Records one failed change to the HAProxy at `target`. */
  syncError(target: string): void {
    this.syncErrors.inc({ target });
  }

  /** Shows `target`'s failed changes from the start (0), not only once one has failed. */
  countSyncErrorsOf(target: string): void {
    this.syncErrors.inc({ target }, 0);
  }

  /** Publishes how far behind the registry's change index each HAProxy is, read at each scrape. */
  countHaproxyLag(read: () => { address: string; lag_ms: number }[]): void {
    new Gauge({
      name: 'chirp_registry_haproxy_lag_seconds',
      help: "How long each HAProxy (by Runtime API address) has been behind the registry's change index (0: current).",
      labelNames: ['target'],
      registers: [this.registry],
      collect() {
        for (const { address, lag_ms } of read()) this.set({ target: address }, lag_ms / 1000);
      },
    });
  }

  /** Publishes the instances `read` returns, counted by service and status each time Prometheus scrapes. */
  countInstances(read: () => Promise<Pick<Instance, 'service_name' | 'status'>[]>): void {
    new Gauge({
      name: 'chirp_registry_instances',
      help: 'Registered instances, by service and health status.',
      labelNames: ['service', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        let instances: Awaited<ReturnType<typeof read>>;
        try {
          instances = await read();
        } catch {
          return; // the store failing: the gauge stays empty, and the rest of the scrape still answers
        }
        for (const { service_name: service, status } of instances) this.inc({ service, status });
      },
    });
  }

  /**
   * The hook for blocking queries (issue 12, not landed here): publishes the number of requests held
   * waiting for a change, as `read` returns it at each scrape (the change watch registers it).
   */
  countHeldWatches(read: () => number): void {
    new Gauge({
      name: 'chirp_registry_held_watches',
      help: 'Blocking queries (?index=&wait=) held open, waiting for a change.',
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}
