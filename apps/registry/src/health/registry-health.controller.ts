import { Controller, Get, Query } from '@nestjs/common';
import { type HealthReport, StoreHealth } from '@app/discovery';
import type { z } from 'zod';
import type { CheckView } from '../checker/dto/check.view';
import { healthCheckQuery } from '../instances/dto/history.schema';
import { CheckerLock } from '../checker/checker-lock';
import { ChecksService } from '../checker/checks.service';
import type { TargetStatus } from '../haproxy/haproxy-target';
import { HaproxyTargets } from '../haproxy/haproxy-targets';

type CheckerLeadership = Awaited<ReturnType<CheckerLock['leadership']>>;

/**
 * `GET /health-check`: the registry's own health (its store answers), which registry leads the
 * health checks (the lease's holder and epoch) and where each HAProxy it drives stands, or, as in the seed,
 * with `?service_name=` the recent checks of that service (the seed's example spells it `serive_name`).
 */
@Controller()
export class RegistryHealthController {
  constructor(
    private readonly health: StoreHealth,
    private readonly checks: ChecksService,
    private readonly lock: CheckerLock,
    private readonly haproxy: HaproxyTargets,
  ) {}

  @Get('health-check')
  async check(
    @Query({ schema: healthCheckQuery }) history: z.output<typeof healthCheckQuery>,
  ): Promise<
    | (HealthReport & { checker: CheckerLeadership; haproxy: TargetStatus[] })
    | { service_name: string; checks: CheckView[] }
  > {
    if (history === undefined) {
      const report = await this.health.check();
      return { ...report, checker: await this.lock.leadership(), haproxy: this.haproxy.statuses() };
    }
    return { service_name: history.name, checks: await this.checks.history(history.name, history.limit) };
  }
}
