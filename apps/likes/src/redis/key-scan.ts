import type Redis from 'ioredis';
import { type LikesRedis, masters } from './redis.client';

const nodeId = (node: Redis): string => `${node.options.host}:${node.options.port}`;

/**
 * A walk over the keys matching a pattern on every master (SCAN is per server), a batch at a time,
 * resumable across calls. A master that appears mid-walk (a promoted replica) is walked from the start.
 */
export class KeyScan {
  private readonly cursors = new Map<string, string>();
  private readonly finished = new Set<string>();

  constructor(
    private readonly redis: LikesRedis,
    private readonly match: string,
  ) {}

  /** About `count` more keys (SCAN may give a few more or fewer); `done` once every master is walked. */
  async next(count: number): Promise<{ keys: string[]; done: boolean }> {
    const keys: string[] = [];
    for (const node of masters(this.redis)) {
      const id = nodeId(node);
      while (!this.finished.has(id) && keys.length < count) {
        const [cursor, batch] = await node.scan(
          this.cursors.get(id) ?? '0',
          'MATCH',
          this.match,
          'COUNT',
          count,
        );
        keys.push(...batch);
        this.cursors.set(id, cursor);
        if (cursor === '0') this.finished.add(id);
      }
      if (keys.length >= count) return { keys, done: false };
    }
    return { keys, done: masters(this.redis).every((node) => this.finished.has(nodeId(node))) };
  }
}
