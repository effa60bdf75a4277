import { Controller, Get } from '@nestjs/common';
import { z } from 'zod';
import { ApiSummary, Input, integerIn, Returns } from '@app/http';
import { ChecksService } from './checks.service';
import { roundsView, type RoundsView } from './dto/check.view';

const roundsQuery = z.object({ limit: integerIn(1, 1000, 20) });

/** `GET /rounds`: the latest health-check rounds, newest first (who ran them, when, what they found). */
@Controller('rounds')
export class RoundsController {
  constructor(private readonly checks: ChecksService) {}

  @Get()
  @ApiSummary('The latest health-check rounds, newest first')
  @Returns(roundsView)
  async recent(@Input(roundsQuery) { limit }: z.output<typeof roundsQuery>): Promise<RoundsView> {
    return { rounds: await this.checks.recentRounds(limit) };
  }
}
