import { Injectable } from '@nestjs/common';
import { HaproxyTargets } from './haproxy-targets';
import type { ServerStat } from './server-stats';

/** The first HAProxy's own view of every server slot, read (never changed) through the Runtime API. */
@Injectable()
export class HaproxyStats {
  constructor(private readonly targets: HaproxyTargets) {}

  /** Every slot of every backend; null when HAProxy updates are off or HAProxy does not answer. */
  async servers(): Promise<ServerStat[] | null> {
    const primary = this.targets.primary;
    if (!primary) return null;
    try {
      return await primary.servers();
    } catch {
      return null;
    }
  }
}
