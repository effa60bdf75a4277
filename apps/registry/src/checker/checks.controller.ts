import { Controller, Get, Post, Put } from '@nestjs/common';
import type { z } from 'zod';
import { ApiResponses, ApiSummary, Input, Returns } from '@app/http';
import { TOKEN_REQUIRED } from '../auth/token.guard';
import { historyQuery } from '../instances/dto/history.schema';
import { reportedHealthSchema } from '../instances/dto/registration.schema';
import { checkView, type CheckView, serviceChecksView, type ServiceChecksView } from './dto/check.view';
import { ChecksService } from './checks.service';
import { instanceView, type InstanceView } from '../instances/dto/instance.view';
import { ttlReportSchema } from './dto/ttl-report.schema';
import { TtlReports } from './ttl-reports';

/** A service's check history, the seed's way of recording a check result by hand, and TTL reports. */
@Controller()
export class ChecksController {
  constructor(
    private readonly checks: ChecksService,
    private readonly ttl: TtlReports,
  ) {}

  @Put('services/:name/instances/:id/ttl')
  @ApiSummary('Report the state of a TTL-checked instance (passing renews its TTL)')
  @Returns(instanceView)
  @ApiResponses({
    ...TOKEN_REQUIRED,
    404: 'No such instance of this service.',
    409: 'The instance is not checked by TTL.',
  })
  reportTtl(
    @Input(ttlReportSchema) { name, id, status, output }: z.output<typeof ttlReportSchema>,
  ): Promise<InstanceView> {
    return this.ttl.report(name, id, status, output);
  }

  @Get('services/:name/health')
  @ApiSummary("A service's latest health checks")
  @Returns(serviceChecksView)
  async health(
    @Input(historyQuery) { name, limit }: z.output<typeof historyQuery>,
  ): Promise<ServiceChecksView> {
    return { service_name: name, checks: await this.checks.history(name, limit) };
  }

  @Post('urls/healths')
  @ApiSummary("Record a check result by hand (the seed's route)")
  @Returns(checkView)
  @ApiResponses(TOKEN_REQUIRED)
  report(@Input(reportedHealthSchema) input: z.output<typeof reportedHealthSchema>): Promise<CheckView> {
    return this.checks.report(input.service_name, input.url, input.status_code);
  }
}
