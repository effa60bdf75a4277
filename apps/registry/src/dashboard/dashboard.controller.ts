import { ApiResponses, ApiSummary, Input, Returns } from '@app/http';
import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Blocking } from '../watch/blocking.decorator';
import { DashboardService } from './dashboard.service';
import { ASSET_MEDIA_TYPES, loadDashboardAssets } from './dashboard-assets';
import { dashboardView, type DashboardView } from './dto/dashboard.view';

/** `GET /ui/assets/:file`: one of the page's files by name (anything else is a 404 naming it). */
const assetParams = z.object({ file: z.string().min(1).max(100) });

/**
 * `GET /ui`: the registry's dashboard, a read-only page that follows `GET /ui/state` (a blocking
 * query) to stay live without reloads. Reads only: it stays open when REGISTRY_TOKEN is set.
 */
@Controller('ui')
export class DashboardController {
  private readonly assets = loadDashboardAssets();

  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiSummary('The dashboard page')
  @Returns(z.string(), ['text/html'])
  page(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  @Get('state')
  @ApiSummary('What the dashboard shows')
  @Returns(dashboardView)
  @Blocking()
  state(): Promise<DashboardView> {
    return this.dashboard.state();
  }

  @Get('assets/:file')
  @ApiSummary("One of the dashboard's files")
  @ApiResponses({ 404: 'No such file.', 503: null })
  @Returns(z.string(), ASSET_MEDIA_TYPES)
  file(@Input(assetParams) { file }: z.output<typeof assetParams>, @Res() reply: FastifyReply): void {
    this.send(reply, file);
  }

  private send(reply: FastifyReply, file: string): void {
    const asset = this.assets.get(file);
    if (!asset) throw new NotFoundException(`no dashboard file ${file}`);
    void reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body);
  }
}
