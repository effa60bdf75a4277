import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { answers, Child, freePort, waitFor } from './processes';

const run = promisify(execFile);

/** One target as Prometheus's `/api/v1/targets` reports it. */
export interface PrometheusTarget {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  scrapeUrl: string;
}

/** Prometheus as the Procfile runs it (bin/prometheus.sh on prometheus.yml), on a free port. */
export class TestPrometheus {
  private constructor(
    private readonly child: Child,
    readonly port: number,
    /** Where bin/prometheus.sh wrote the configuration it runs and Prometheus keeps its data. */
    readonly dir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get configFile(): string {
    return join(this.dir, 'prometheus.yml');
  }

  /** Starts it against a registry reached at `registryAddr` and HAProxy's exporter at `haproxyMetricsAddr`. */
  static async start(registryAddr: string, haproxyMetricsAddr: string): Promise<TestPrometheus> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'chirp-prometheus-'));
    const child = new Child('prometheus', 'bash', ['bin/prometheus.sh'], {
      HAPROXY_REGISTRY_ADDR: registryAddr,
      HAPROXY_METRICS_ADDR: haproxyMetricsAddr,
      PROMETHEUS_ADDR: `127.0.0.1:${port}`,
      PROMETHEUS_DIR: dir,
    }).start();
    const prometheus = new TestPrometheus(child, port, dir);
    await waitFor(`prometheus\n${child.output}`, () => answers(`${prometheus.url}/-/ready`), 30_000);
    return prometheus;
  }

  /** The active targets, optionally only those of `job`. */
  async targets(job?: string): Promise<PrometheusTarget[]> {
    const response = await fetch(`${this.url}/api/v1/targets?state=active`);
    const { data } = (await response.json()) as { data: { activeTargets: PrometheusTarget[] } };
    return data.activeTargets.filter((t) => job === undefined || t.labels.job === job);
  }

  /** The labels discovery gave each active target of scrape job `job`, before relabelling (`__meta_*`). */
  async discovered(job: string): Promise<Record<string, string>[]> {
    const response = await fetch(`${this.url}/api/v1/targets?state=active`);
    const { data } = (await response.json()) as {
      data: { activeTargets: { discoveredLabels: Record<string, string>; scrapePool: string }[] };
    };
    return data.activeTargets.filter((t) => t.scrapePool === job).map((t) => t.discoveredLabels);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

/** Runs promtool (Debian's prometheus package) with `args` and `input` on its stdin; resolves with its output, rejects when it fails. */
export async function promtool(args: string[], input?: string): Promise<string> {
  const done = run('promtool', args);
  if (input !== undefined) done.child.stdin?.end(input);
  const { stdout, stderr } = await done;
  return stdout + stderr;
}
