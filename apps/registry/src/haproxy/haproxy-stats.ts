import { Injectable } from '@nestjs/common';
import { HaproxyTargets } from './haproxy-targets';
import { parseServerStats, type ServerStat } from './server-stats';

/** The first HAProxy's own view of every server slot, read (never changed) through the Runtime API. */
@Injectable()
export class HaproxyStats {
  constructor(private readonly targets: HaproxyTargets) {}

  /** Every slot of every backend; null when HAProxy updates are off or HAProxy does not answer. */
  async servers(): Promise<ServerStat[] | null> {
    const primary = this.targets.primary;
    if (!primary) return null;
    try {
      return parseServerStats(await primary.api.execute('show stat -1 4 -1'));
    } catch {
      return null;
    }
  }
}
