import { Controller, Get } from '@nestjs/common';
import { type HealthReport, StoreHealth } from './store-health';

/** `GET /health-check`: 200 when the app's stores answer, 503 naming the ones that do not. */
@Controller()
export class HealthController {
  constructor(private readonly health: StoreHealth) {}

  @Get('health-check')
  check(): Promise<HealthReport> {
    return this.health.check();
  }
}
