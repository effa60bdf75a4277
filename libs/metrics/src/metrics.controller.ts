import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';

/** `GET /metrics`: the app's metrics in Prometheus's text format, on the instance's own port only. */
@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
