import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Child, freePort, waitFor } from './processes';
import { StoreProcess } from './stores';

const run = promisify(execFile);

/** The redis-server arguments of one cluster node: append-only, its own directory, its own bus port. */
export function clusterNodeArgs(port: number, busPort: number, dir: string, nodeTimeoutMs: number): string[] {
  return [
    ...['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', dir],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
    ...['--cluster-node-timeout', String(nodeTimeoutMs), '--appendonly', 'yes', '--save', ''],
  ];
}

/**
 * A real Redis Cluster of Debian's redis-server processes on free ports (3 masters and a replica
 * each by default), made with `redis-cli --cluster create`; stop it with {@link stop}.
 */
export class RedisCluster {
  private constructor(readonly nodes: StoreProcess[]) {}

  /** `host:port,...` of every node: what `REDIS_CLUSTER_NODES` takes. */
  get seeds(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  static async start(options: { masters?: number; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
    const { masters = 3, nodeTimeoutMs = 1_000 } = options;
    const started = await Promise.allSettled(
      Array.from({ length: masters * 2 }, async () => {
        const [port, bus] = [await freePort(), await freePort()];
        const args = clusterNodeArgs(port, bus, mkdtempSync(join(tmpdir(), 'chirp-cluster-')), nodeTimeoutMs);
        return new StoreProcess(port, () => new Child(`redis:${port}`, 'redis-server', args)).start();
      }),
    );
    const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      // The nodes that did start must not outlive the failure (they kept jest from exiting).
      await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
      throw failed.reason;
    }
    const cluster = new RedisCluster(nodes);
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    try {
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ]);
      await waitFor('the cluster to be ok on every node', () => cluster.everyNodeOk(), 30_000, 200);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Who serves each slot now: a lookup from a hash slot to its master, read once from the cluster. */
  async slotMap(): Promise<(slot: number) => StoreProcess | undefined> {
    const shards = JSON.parse(await this.cli(this.nodes[0].port, '--json', 'cluster', 'slots')) as [
      number,
      number,
      [string, number],
    ][];
    return (slot) => {
      const owner = shards.find(([from, to]) => slot >= from && slot <= to);
      return this.nodes.find((n) => n.port === owner?.[2][1]);
    };
  }

  /** The master that holds `key` now. */
  async masterOf(key: string): Promise<StoreProcess> {
    const slot = Number(await this.cli(this.nodes[0].port, 'cluster', 'keyslot', key));
    const node = (await this.slotMap())(slot);
    if (!node) throw new Error(`no master serves slot ${slot}`);
    return node;
  }

  /** True when every running node says the cluster is ok. */
  async everyNodeOk(nodes = this.nodes): Promise<boolean> {
    const infos = await Promise.all(nodes.map((n) => this.cli(n.port, 'cluster', 'info')));
    return infos.every((info) => info.includes('cluster_state:ok'));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop('SIGKILL')));
  }

  private async cli(port: number, ...args: string[]): Promise<string> {
    return (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
  }
}
