import { parseServerStats, type ServerStat } from '../../apps/registry/src/haproxy/server-stats';
import { Child, freePort, listening, waitFor } from './processes';
import { runtimeCommand } from './runtime-api';

/** One server slot as `show stat` reports it (the registry's parser). */
export type SlotStat = ServerStat;

/** The project's haproxy.cfg, run by a test on free ports. */
export class TestHaproxy {
  private child?: Child;
  private cacheMaxAge = 5;
  private slots = 8;

  private constructor(
    readonly likes: number,
    readonly polls: number,
    readonly registry: number,
    readonly stats: number,
    readonly runtime: number,
    /** HAProxy's Prometheus exporter. */
    readonly metrics: number,
  ) {}

  static async start(options: { cacheMaxAge?: number; slots?: number } = {}): Promise<TestHaproxy> {
    const ports = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const haproxy = new TestHaproxy(...(ports as [number, number, number, number, number, number]));
    haproxy.cacheMaxAge = options.cacheMaxAge ?? 5;
    haproxy.slots = options.slots ?? 8;
    await haproxy.start();
    return haproxy;
  }

  /** The environment the registry needs to drive this HAProxy. */
  get runtimeAddr(): string {
    return `127.0.0.1:${this.runtime}`;
  }

  async start(): Promise<void> {
    const at = (port: number) => `127.0.0.1:${port}`;
    this.child = new Child('haproxy', 'haproxy', ['-db', '-f', 'haproxy.cfg'], {
      HAPROXY_LIKES_ADDR: at(this.likes),
      HAPROXY_POLLS_ADDR: at(this.polls),
      HAPROXY_REGISTRY_ADDR: at(this.registry),
      HAPROXY_STATS_ADDR: at(this.stats),
      HAPROXY_RUNTIME_ADDR: at(this.runtime),
      HAPROXY_METRICS_ADDR: at(this.metrics),
      CACHE_MAX_AGE: String(this.cacheMaxAge),
      HAPROXY_SLOTS: String(this.slots),
    }).start();
    await waitFor(`haproxy\n${this.child.output}`, () => listening(this.runtime));
  }

  async stop(): Promise<void> {
    await this.child?.stop('SIGTERM', 5_000);
  }

  /** Sends `signal` (SIGKILL, SIGSTOP, SIGCONT) without waiting. */
  signal(signal: NodeJS.Signals): void {
    this.child?.signal(signal);
  }

  /** The registry change index this HAProxy says it has applied (maps/registry.map), or null. */
  async appliedIndex(): Promise<number | null> {
    const answer = await this.command('get map maps/registry.map applied_index');
    const value = /found=yes.*value="(\d+)"/.exec(answer)?.[1];
    return value === undefined ? null : Number(value);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** One Runtime API command's answer. */
  command(command: string): Promise<string> {
    return runtimeCommand(this.runtime, command);
  }

  /**
   * The filled slots of `backend`, by the address they carry (`127.0.0.1:7400`), with their state
   * ("UP", "DOWN", "MAINT", "DRAIN"...; "UP 1/2" reads "UP"). Parked slots are left out.
   */
  async servers(backend: string): Promise<Map<string, string>> {
    return new Map(
      [...(await this.slotStats(backend))].filter(([, s]) => !s.parked).map(([, s]) => [s.addr, s.status]),
    );
  }

  /** Every slot of `backend` by name (`s1`), with the address it carries, its state and its counters. */
  async slotStats(backend: string): Promise<Map<string, SlotStat>> {
    const stats = parseServerStats(await this.command('show stat -1 4 -1'));
    return new Map(stats.filter((s) => s.backend === backend).map((s) => [s.name, s]));
  }
}
