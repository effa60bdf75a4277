import { Controller, Get, Query } from '@nestjs/common';
import { type HealthReport, StoreHealth } from '@app/discovery';
import { validate } from '@app/http';
import type { CheckView } from '../checker/dto/check.view';
import { historyQuery } from '../instances/dto/history.schema';
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
    @Query() query: Record<string, string>,
  ): Promise<HealthReport | { service_name: string; checks: CheckView[] }> {
    const service = query.service_name ?? query.serive_name;
    if (service === undefined) return this.health.check();
    const { name, limit } = validate(historyQuery, { name: service, limit: query.limit });
    return { service_name: name, checks: this.checks.history(name, limit) };
  }
}
