import { Controller, Get, Query } from '@nestjs/common';
import { type HealthReport, StoreHealth } from '@app/discovery';
import type { z } from 'zod';
import type { CheckView } from '../checker/dto/check.view';
import { healthCheckQuery } from '../instances/dto/history.schema';
import { CheckerLock } from '../checker/checker-lock';
import { ChecksService } from '../checker/checks.service';

type CheckerLeadership = Awaited<ReturnType<CheckerLock['leadership']>>;

/**
 * `GET /health-check`: the registry's own health (its store answers) and which registry leads the
 * health checks (the lease's holder and epoch), or, as in the seed,
 * with `?service_name=` the recent checks of that service (the seed's example spells it `serive_name`).
 */
@Controller()
export class RegistryHealthController {
  constructor(
    private readonly health: StoreHealth,
    private readonly checks: ChecksService,
    private readonly lock: CheckerLock,
  ) {}

  @Get('health-check')
  async check(
    @Query({ schema: healthCheckQuery }) history: z.output<typeof healthCheckQuery>,
  ): Promise<
    (HealthReport & { checker: CheckerLeadership }) | { service_name: string; checks: CheckView[] }
  > {
    if (history === undefined) {
      const report = await this.health.check();
      return { ...report, checker: await this.lock.leadership() };
    }
    return { service_name: history.name, checks: await this.checks.history(history.name, history.limit) };
  }
}
