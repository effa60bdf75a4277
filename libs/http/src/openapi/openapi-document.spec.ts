import SwaggerParser from '@apidevtools/swagger-parser';
import { Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { Input } from '../input.decorator';
import { ApiResponses } from './api-responses.decorator';
import { ApiSummary } from './api-summary.decorator';
import { Returns } from './returns.decorator';
import { apiRoutes } from './api-route';
import { openApiDocument } from './openapi-document';

const name = z.preprocess((v) => v, z.string().regex(/^[a-z]+$/));
const item = z.object({ id: name, note: z.string().max(10), size: z.coerce.number().default(1) });

@Controller('items')
class ItemsController {
  @Post(['', ':id'])
  @ApiSummary('Create an item')
  @Returns(z.object({ id: z.string(), note: z.string() }).meta({ id: 'Item' }))
  @ApiResponses({ 409: 'Taken.', 200: 'Already there.', 401: 'No token.' })
  create(@Input(item) input: unknown) {
    return input;
  }

  @Get(':id')
  @ApiResponses({ 404: 'No such item.' })
  one(@Input(item.pick({ id: true, size: true })) input: unknown) {
    return input;
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Input(item.pick({ id: true })) input: unknown) {
    return input;
  }

  @Get()
  @ApiResponses({ 503: null, 403: 'A wrong token.' })
  @Returns(z.string(), ['text/html'])
  list(@Query({ schema: z.object({ prefix: name.optional() }) }) query: unknown) {
    return query;
  }
}

const info = { title: 'Items', description: 'Test items.', stores: ['redis'], bearer: 'ITEMS_TOKEN' };
type Operation = OpenAPIV3_1.OperationObject;

describe(openApiDocument.name, () => {
  let sut: OpenAPIV3_1.Document;
  beforeAll(async () => {
    sut = (await openApiDocument(info, apiRoutes([ItemsController]))) as OpenAPIV3_1.Document;
  });
  const operation = (path: string, method: 'get' | 'post' | 'delete') =>
    sut.paths![path]![method] as Operation;

  it('is a valid OpenAPI 3.1 document', async () => {
    await expect(SwaggerParser.validate(structuredClone(sut) as never)).resolves.toBeDefined();
  });

  it('maps every path of every route, with path parameters in braces and required', () => {
    expect(Object.keys(sut.paths!).sort()).toEqual(['/items', '/items/{id}']);
    expect(operation('/items/{id}', 'get').parameters).toEqual([
      expect.objectContaining({ in: 'path', name: 'id', required: true }),
      expect.objectContaining({ in: 'query', name: 'size' }),
    ]);
  });

  it('puts a POST route input in a JSON or form body, required as zod requires it', () => {
    const body = operation('/items', 'post').requestBody as OpenAPIV3_1.RequestBodyObject;
    expect(Object.keys(body.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(body.content['application/json'].schema).toMatchObject({
      properties: { id: { pattern: '^[a-z]+$' }, note: { maxLength: 10 } },
      required: ['id', 'note'],
    });
    const withId = operation('/items/{id}', 'post');
    expect(
      (withId.requestBody as OpenAPIV3_1.RequestBodyObject).content['application/json'].schema,
    ).toMatchObject({
      required: ['note'],
    });
  });

  it('marks a z.preprocess query field required when zod requires it', async () => {
    @Controller()
    class Seed {
      @Get('seed')
      get(@Input(item.pick({ id: true, size: true })) input: unknown) {
        return input;
      }
    }
    const seed = (await openApiDocument(info, apiRoutes([Seed]))) as OpenAPIV3_1.Document;
    expect((seed.paths!['/seed']!.get as Operation).parameters).toEqual([
      expect.objectContaining({ in: 'query', name: 'id', required: true }),
      expect.not.objectContaining({ required: true }),
    ]);
  });

  it('gives each route its success status, the shared errors and its own, in the error shape', () => {
    expect(Object.keys(operation('/items', 'post').responses!)).toEqual([
      '200',
      '201',
      '400',
      '401',
      '409',
      '413',
      '415',
      '431',
      '503',
    ]);
    // A path parameter can be too long for the router: a 414.
    expect(Object.keys(operation('/items/{id}', 'delete').responses!)).toEqual([
      '204',
      '400',
      '413',
      '414',
      '415',
      '431',
      '503',
    ]);
    expect(operation('/items/{id}', 'get').responses!['404']).toEqual({
      description: 'No such item.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    expect(sut.components!.schemas!.Error).toMatchObject({ required: ['error', 'message'] });
  });

  it('leaves out a status a route marks as never given', () => {
    expect(Object.keys(operation('/items', 'get').responses!)).toEqual([
      '200',
      '400',
      '403',
      '413',
      '415',
      '431',
    ]);
  });

  it('refuses to document a query that is no object rather than leave it out', async () => {
    @Controller()
    class Opaque {
      @Get('opaque')
      get(@Input(z.unknown().transform((v) => v)) input: unknown) {
        return input;
      }
    }
    await expect(openApiDocument(info, apiRoutes([Opaque]))).rejects.toThrow(
      /Opaque.get: only an object schema/,
    );
  });

  it('describes every success answer with its schema, under each media type it is served as', () => {
    const created = operation('/items', 'post').responses!;
    for (const status of ['200', '201']) {
      expect((created[status] as OpenAPIV3_1.ResponseObject).content).toEqual({
        'application/json': { schema: { $ref: '#/components/schemas/Item' } },
      });
    }
    expect((operation('/items', 'get').responses!['200'] as OpenAPIV3_1.ResponseObject).content).toEqual({
      'text/html': { schema: { type: 'string' } },
    });
    // A 204 has no body to describe.
    expect(
      (operation('/items/{id}', 'delete').responses!['204'] as OpenAPIV3_1.ResponseObject).content,
    ).toBeUndefined();
  });

  it("names each operation uniquely, a handler on several paths by each path's words", () => {
    expect(operation('/items', 'post')).toMatchObject({
      operationId: 'createItems',
      summary: 'Create an item',
    });
    expect(operation('/items/{id}', 'post').operationId).toBe('createItemsId');
    expect(operation('/items/{id}', 'get').operationId).toBe('one');
  });

  it('refuses two operations with one operationId', async () => {
    @Controller('other')
    class Other {
      @Get()
      one() {
        return {};
      }
    }
    await expect(openApiDocument(info, apiRoutes([ItemsController, Other]))).rejects.toThrow(
      /Other.one: operationId one is taken/,
    );
  });

  it('asks for the token where a route answers 401, takes it optionally where a wrong one is a 403', () => {
    expect(sut.components!.securitySchemes).toEqual({
      token: { type: 'http', scheme: 'bearer', description: 'ITEMS_TOKEN' },
    });
    expect(operation('/items', 'post').security).toEqual([{ token: [] }]);
    expect(operation('/items', 'get').security).toEqual([{}, { token: [] }]);
    expect(operation('/items/{id}', 'get').security).toEqual([]);
  });
});
