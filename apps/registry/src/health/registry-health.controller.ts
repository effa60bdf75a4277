import { Controller, Get, Query } from '@nestjs/common';
import { type HealthReport, StoreHealth } from '@app/discovery';
import type { z } from 'zod';
import type { CheckView } from '../checker/dto/check.view';
import { healthCheckQuery } from '../instances/dto/history.schema';
import { ChecksService } from '../checker/checks.service';

/**
 * `GET /health-check`: the registry's own health (its database answers), or, as in the seed,
 * with `?service_name=` the recent checks of that service (the seed's example spells it `serive_name`).
 */
@Controller()
export class RegistryHealthController {
  constructor(
    private readonly health: StoreHealth,
    private readonly checks: ChecksService,
  ) {}

  @Get('health-check')
  async check(
    @Query({ schema: healthCheckQuery }) history: z.output<typeof healthCheckQuery>,
  ): Promise<HealthReport | { service_name: string; checks: CheckView[] }> {
    if (history === undefined) return this.health.check();
    return { service_name: history.name, checks: await this.checks.history(history.name, history.limit) };
  }
}
