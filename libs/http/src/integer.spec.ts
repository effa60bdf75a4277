import { Controller, Get } from '@nestjs/common';
import { z } from 'zod';
import { Input } from './input.decorator';
import { integerIn } from './integer';
import { apiRoutes } from './openapi/api-route';
import { openApiDocument } from './openapi/openapi-document';
import { unquoteIdentifier } from './seed-quotes';

describe('integerIn', () => {
  const sut = integerIn(1, 100);

  it('takes a number or its decimal digits', () => {
    expect(sut.parse(7)).toBe(7);
    expect(sut.parse('42')).toBe(42);
    expect(sut.parse('007')).toBe(7);
  });

  it.each([
    'abc',
    '0',
    '101',
    '1.5',
    -3,
    '0x10',
    '1e1',
    '10.0',
    ' 7',
    '7 ',
    '+7',
    '',
    ['7'],
    [[7]],
    true,
    null,
  ])('refuses %p in plain words', (value) => {
    const result = sut.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['must be an integer from 1 to 100']);
  });

  it('keeps a default for a missing value', () => {
    expect(z.object({ limit: integerIn(1, 100, 20) }).parse({})).toEqual({ limit: 20 });
  });
});

describe('integerIn in an OpenAPI document', () => {
  @Controller('pages')
  class PagesController {
    @Get()
    list(
      @Input(
        z.object({
          limit: z.preprocess(unquoteIdentifier, integerIn(1, 100, 20)),
          code: integerIn(100, 599),
        }),
      )
      input: unknown,
    ) {
      return input;
    }
  }

  it('is the integer it means, with its bounds and default, not the text it arrives as', async () => {
    const document = (await openApiDocument(
      { title: 'Pages', description: 'Test pages.', stores: [] },
      apiRoutes([PagesController]),
    )) as {
      paths: Record<string, { get: { parameters: unknown[] } }>;
    };
    expect(document.paths['/pages'].get.parameters).toEqual([
      { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      { in: 'query', name: 'code', required: true, schema: { type: 'integer', minimum: 100, maximum: 599 } },
    ]);
  });
});
