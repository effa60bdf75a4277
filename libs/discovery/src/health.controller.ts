import { Controller, Get } from '@nestjs/common';
import { ApiSummary, Returns } from '@app/http';
import { type HealthReport, healthReportView } from './health-report.view';
import { StoreHealth } from './store-health';

/** `GET /health-check`: 200 when the app's stores answer, 503 naming the ones that do not. */
@Controller()
export class HealthController {
  constructor(private readonly health: StoreHealth) {}

  @Get('health-check')
  @ApiSummary("Whether the app's stores answer")
  @Returns(healthReportView)
  check(): Promise<HealthReport> {
    return this.health.check();
  }
}
