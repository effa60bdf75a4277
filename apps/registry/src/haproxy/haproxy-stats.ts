import { Injectable } from '@nestjs/common';
import { RuntimeApi } from './runtime-api';
import { parseServerStats, type ServerStat } from './server-stats';

/** HAProxy's own view of every server slot, read (never changed) through the Runtime API. */
@Injectable()
export class HaproxyStats {
  constructor(private readonly api: RuntimeApi) {}

  /** Every slot of every backend; null when HAProxy updates are off or HAProxy does not answer. */
  async servers(): Promise<ServerStat[] | null> {
    if (!this.api.enabled) return null;
    try {
      return parseServerStats(await this.api.execute('show stat -1 4 -1'));
    } catch {
      return null;
    }
  }
}
