import { Child, freePort, listening, waitFor } from './processes';
import { runtimeCommand, serverStats } from './runtime-api';

/** The address a free slot carries (haproxy.cfg's server-template lines). */
export const PARKED_ADDR = '127.0.0.1:1';

/** One server slot as `show stat` reports it. */
export interface SlotStat {
  addr: string;
  status: string;
  requests: number;
  connects: number;
  reuses: number;
}

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
      [...(await this.slotStats(backend))]
        .filter(([, s]) => s.addr !== PARKED_ADDR)
        .map(([, s]) => [s.addr, s.status]),
    );
  }

  /** Every slot of `backend` by name (`s1`), with the address it carries, its state and its counters. */
  async slotStats(backend: string): Promise<Map<string, SlotStat>> {
    return new Map(
      (await serverStats(this.runtime, backend)).map((server): [string, SlotStat] => [
        server.svname,
        {
          addr: server.addr,
          status: server.status.split(' ')[0],
          requests: Number(server.stot),
          connects: Number(server.connect),
          reuses: Number(server.reuse),
        },
      ]),
    );
  }
}
