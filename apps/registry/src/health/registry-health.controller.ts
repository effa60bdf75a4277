import { Controller, Get, Query } from '@nestjs/common';
import { type HealthReport, StoreHealth } from '@app/discovery';
import { validate } from '@app/http';
import type { CheckRecord } from '../checker/checks.repository';
import { historyQuery } from '../instances/dto/history.schema';
import { InstancesService } from '../instances/instances.service';

/**
 * `GET /health-check`: the registry's own health (its database answers), or, as in the seed,
 * with `?service_name=` the recent checks of that service.
 */
@Controller()
export class RegistryHealthController {
  constructor(
    private readonly health: StoreHealth,
    private readonly instances: InstancesService,
  ) {}

  @Get('health-check')
  async check(
    @Query() query: Record<string, string>,
  ): Promise<HealthReport | { service_name: string; checks: CheckRecord[] }> {
    if (query.service_name === undefined) return this.health.check();
    const { name, limit } = validate(historyQuery, { name: query.service_name, limit: query.limit });
    return { service_name: name, checks: this.instances.history(name, limit) };
  }
}
