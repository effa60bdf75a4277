import { Controller, Get, Query } from '@nestjs/common';
import { ApiSummary, Returns } from '@app/http';
import { StoreHealth } from '@app/discovery';
import type { z } from 'zod';
import { healthCheckQuery } from '../instances/dto/history.schema';
import { CheckerLock } from '../checker/checker-lock';
import { ChecksService } from '../checker/checks.service';
import { HaproxyTargets } from '../haproxy/haproxy-targets';
import { type HealthCheckView, healthCheckView } from './dto/registry-health.view';

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
  @ApiSummary("The registry's health, or with service_name that service's checks")
  @Returns(healthCheckView)
  async check(
    @Query({ schema: healthCheckQuery }) history: z.output<typeof healthCheckQuery>,
  ): Promise<HealthCheckView> {
    if (history === undefined) {
      const report = await this.health.check();
      return { ...report, checker: await this.lock.leadership(), haproxy: this.haproxy.statuses() };
    }
    return { service_name: history.name, checks: await this.checks.history(history.name, history.limit) };
  }
}
