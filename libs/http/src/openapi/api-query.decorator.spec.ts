import { Controller, Get } from '@nestjs/common';
import { z } from 'zod';
import { Input } from '../input.decorator';
import { ApiQuery } from './api-query.decorator';
import { apiRoutes } from './api-route';
import { openApiDocument } from './openapi-document';

const held = z.object({ index: z.string().regex(/^\d+$/).optional() });

@Controller('feeds')
class FeedsController {
  @Get()
  @ApiQuery(held)
  all() {
    return [];
  }

  @Get(':name')
  @ApiQuery(held)
  one(@Input(z.object({ name: z.string(), tag: z.string().optional() })) input: unknown) {
    return input;
  }
}

describe(ApiQuery.name, () => {
  it("lists the parameters beside the input's own, and the 400 their check can give", async () => {
    const document = (await openApiDocument(
      { title: 'Feeds', description: 'Test feeds.', stores: [] },
      apiRoutes([FeedsController]),
    )) as {
      paths: Record<string, { get: { parameters: { in: string; name: string }[]; responses: object } }>;
    };
    const names = (path: string) => document.paths[path].get.parameters.map((p) => `${p.in} ${p.name}`);
    expect(names('/feeds')).toEqual(['query index']);
    expect(names('/feeds/{name}')).toEqual(['path name', 'query tag', 'query index']);
    expect(Object.keys(document.paths['/feeds'].get.responses)).toContain('400');
  });
});
