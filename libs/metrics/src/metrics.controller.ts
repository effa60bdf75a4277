import { Controller, Get, Header } from '@nestjs/common';
// The module itself: @app/http's index needs this library's metrics.
import { ApiSummary } from '@app/http/openapi/api-summary.decorator';
import { Returns } from '@app/http/openapi/returns.decorator';
import { Registry } from 'prom-client';
import { z } from 'zod';

/** `GET /metrics`: the app's metrics in Prometheus's text format, on the instance's own port only. */
@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get('metrics')
  @ApiSummary("The instance's metrics, in Prometheus's text format")
  @Returns(z.string(), ['text/plain'])
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
