import SwaggerParser from '@apidevtools/swagger-parser';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { OpenAPIV3_1 } from 'openapi-types';
import { mappedRoutes, request, type TestApp, TestStack } from '../support';

type Document = OpenAPIV3_1.Document;
const run = promisify(execFile);
// Where the documents are written for the tools below (git-ignored), and the typed client's folder.
const WRITTEN = 'var/openapi';
const GENERATED = 'test/client/generated';
const APPS = ['likes', 'polls', 'registry'] as const;

// The statuses the README names for each service (its Likes, Polls and registry sections).
const README_STATUSES: Record<(typeof APPS)[number], string[]> = {
  likes: ['200', '201', '400', '404', '409', '413', '415', '503'],
  polls: ['200', '201', '400', '404', '409', '503'],
  registry: ['200', '201', '400', '401', '404', '503'],
};

const operations = (document: Document) =>
  Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item ?? {}).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation: operation as OpenAPIV3_1.OperationObject,
    })),
  );

describe('OpenAPI documents and Swagger UI, through HAProxy', () => {
  let stack: TestStack;
  const documents = new Map<string, Document>();

  // LOG_LEVEL=log: each app logs the routes Nest maps, which the document must cover.
  beforeAll(async () => {
    stack = await TestStack.start({ likes: 1, polls: 1, intervalMs: 60_000, env: { LOG_LEVEL: 'log' } });
  });
  afterAll(() => stack?.stop());

  const through = (app: (typeof APPS)[number]) => `http://127.0.0.1:${stack.haproxy[app]}`;
  const instance = (app: (typeof APPS)[number]): TestApp =>
    app === 'registry' ? stack.registry : stack[app][0];

  describe.each(APPS)('%s', (app) => {
    it('serves /openapi.json, a valid OpenAPI 3.1 document', async () => {
      const { status, body, headers } = await request<Document>(through(app), '/openapi.json');
      expect(status).toBe(200);
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(body.openapi).toBe('3.1.0');
      // The validator dereferences in place: it gets a copy.
      await expect(SwaggerParser.validate(structuredClone(body) as never)).resolves.toBeDefined();
      documents.set(app, body);
      mkdirSync(WRITTEN, { recursive: true });
      writeFileSync(`${WRITTEN}/${app}.json`, JSON.stringify(body, null, 2));
    });

    it('documents every route the running app maps, and nothing else', () => {
      // A catch-all (the registry's `ALL /v1/*`, answering 404 or 405) has no one method to document;
      // /metrics is served on each instance's own port only (HAProxy answers 404), not in the document.
      const all = mappedRoutes(instance(app).child.output);
      expect(all).toContain('GET /metrics');
      const mapped = all.filter((route) => !route.startsWith('ALL ') && route !== 'GET /metrics');
      expect(mapped).toContain('GET /health-check');
      expect(mapped).toContain('GET /openapi.json');
      expect(
        operations(documents.get(app)!)
          .map((o) => o.route)
          .sort(),
      ).toEqual([...new Set(mapped)].sort());
    });

    it('answers a method a mapped path does not take with 405, naming the ones it takes in Allow', async () => {
      // `/v1/*` has its own catch-all (405 for writes, 404 for what Consul serves and it does not);
      // HAProxy answers /metrics 404 itself, whatever the method.
      const mapped = mappedRoutes(instance(app).child.output).filter(
        (route) => !route.startsWith('ALL ') && !route.includes(' /v1/') && !route.endsWith(' /metrics'),
      );
      const methodsOf = new Map<string, Set<string>>();
      for (const route of mapped) {
        const [method, path] = route.split(' ');
        const methods = methodsOf.get(path) ?? methodsOf.set(path, new Set()).get(path)!;
        methods.add(method);
        if (method === 'GET') methods.add('HEAD'); // Fastify serves HEAD wherever GET is
      }
      // A concrete path may match several mapped ones (`/eureka/apps/delta` is also `/eureka/apps/{app}`).
      const pattern = (path: string) => new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const path of methodsOf.keys()) {
        const concrete = path.replace(/\{\w+\}/g, '1');
        const methods = new Set(
          [...methodsOf].filter(([other]) => pattern(other).test(concrete)).flatMap(([, m]) => [...m]),
        );
        // PATCH: the one method no route takes (PUT sets a weight and maintenance).
        const answer = await request(through(app), concrete, { method: 'PATCH' });
        const allow = [...methods].sort().join(', ');
        expect({
          concrete,
          status: answer.status,
          allow: answer.headers.get('allow'),
          body: answer.body,
        }).toEqual({
          concrete,
          status: 405,
          allow,
          body: {
            error: 'Method Not Allowed',
            message: `PATCH is not served on ${concrete}; it takes ${allow}`,
          },
        });
      }
      // A path no route has stays a 404.
      expect((await request(through(app), '/no/such/path', { method: 'PUT' })).status).toBe(404);
    });

    it('names every status the README gives, each error with the {error, message} shape', () => {
      const document = documents.get(app)!;
      const answers = operations(document).flatMap(({ operation }) => Object.entries(operation.responses!));
      for (const status of README_STATUSES[app]) {
        expect(answers.map(([s]) => s)).toContain(status);
      }
      const errors = answers.filter(([status]) => Number(status) >= 400);
      for (const [, response] of errors) {
        expect((response as OpenAPIV3_1.ResponseObject).content?.['application/json']?.schema).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
      expect(document.components?.schemas?.Error).toMatchObject({
        type: 'object',
        required: ['error', 'message'],
      });
    });

    it('describes the body of every success answer (except a 204) with a schema', () => {
      const successes = operations(documents.get(app)!).flatMap(({ route, operation }) =>
        Object.entries(operation.responses!)
          .filter(([status]) => /^2\d\d$/.test(status) && status !== '204')
          .map(([status, response]) => ({
            answer: `${route} ${status}`,
            schemas: Object.values((response as OpenAPIV3_1.ResponseObject).content ?? {}).filter(
              (media) => media.schema !== undefined,
            ).length,
          })),
      );
      expect(successes.length).toBeGreaterThan(5);
      expect(successes.filter((s) => s.schemas === 0)).toEqual([]);
    });

    it('serves Swagger UI at /docs from its own files, no CDN', async () => {
      const page = await request<string>(through(app), '/docs');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.body).toContain("url: '/openapi.json'");
      const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(sources.length).toBeGreaterThanOrEqual(3);
      for (const source of sources) {
        expect(source).toMatch(/^\/docs\//);
        const asset = await request<string>(through(app), source);
        expect(asset.status).toBe(200);
      }
      const bundle = await request<string>(through(app), '/docs/swagger-ui-bundle.js');
      expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(bundle.body).toContain('SwaggerUIBundle');
    });
  });

  it("documents the registry's blocking reads with their index and wait and their 429", () => {
    const document = documents.get('registry')!;
    for (const path of ['/services', '/services/{name}/instances', '/ui/state']) {
      const operation = document.paths![path]!.get!;
      const query = (operation.parameters as OpenAPIV3_1.ParameterObject[]).filter((p) => p.in === 'query');
      expect(query.map((p) => p.name)).toEqual(expect.arrayContaining(['index', 'wait']));
      // The index is the integer it means, not the text a query string carries it as.
      expect(query.find((p) => p.name === 'index')?.schema).toMatchObject({ type: 'integer', minimum: 0 });
      expect(Object.keys(operation.responses)).toContain('429');
    }
    const consulIndex = (
      document.paths!['/v1/health/service/{name}']!.get!.parameters as OpenAPIV3_1.ParameterObject[]
    ).find((p) => p.name === 'index');
    expect(consulIndex?.schema).toMatchObject({ type: 'integer', minimum: 0 });
  });

  it("documents an instance's meta as a client sends it: an object of strings, or key:value pairs", () => {
    const body = documents.get('registry')!.paths!['/services']!.post!
      .requestBody as OpenAPIV3_1.RequestBodyObject;
    const meta = (body.content['application/json'].schema as OpenAPIV3_1.SchemaObject).properties!.meta;
    expect(meta).toMatchObject({
      anyOf: [
        { type: 'object', additionalProperties: { type: 'string', maxLength: 512 } },
        { type: 'string' },
      ],
    });
  });

  it("declares the dashboard's file parameter", () => {
    const operation = documents.get('registry')!.paths!['/ui/assets/{file}']!.get!;
    expect(operation.parameters).toContainEqual(
      expect.objectContaining({ name: 'file', in: 'path', required: true }),
    );
  });

  it('answers an unknown Swagger UI file with a 400 in the error shape', async () => {
    const { status, body } = await request(through('likes'), '/docs/..%2Fpackage.json');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'Bad Request', message: expect.stringMatching(/^asset: /) });
  });

  it("passes Redocly's recommended rules, with no error and no warning", async () => {
    const files = APPS.map((app) => `${WRITTEN}/${app}.json`);
    const lint = await run(process.execPath, [
      'node_modules/@redocly/cli/bin/cli.js',
      'lint',
      '--config',
      'redocly.yaml',
      '--format',
      'stylish',
      ...files,
    ]).catch((error: { stdout: string; stderr: string }) => error);
    expect(lint.stdout + lint.stderr).not.toMatch(/\b(error|warning)\b/i);
    expect(lint.stderr).toMatch(/Your API descriptions are valid/);
  });

  it('types a client from each document (openapi-typescript) that compiles and runs against the seed routes', async () => {
    mkdirSync(GENERATED, { recursive: true });
    for (const app of APPS) {
      await run(process.execPath, [
        'node_modules/openapi-typescript/bin/cli.js',
        `${WRITTEN}/${app}.json`,
        '--output',
        `${GENERATED}/${app}.ts`,
      ]);
    }
    // A type error fails the run (execFile rejects), with tsc's message in the failure.
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/client/tsconfig.json']);
    const { stdout } = await run(process.execPath, [
      'test/client/seed-client.mts',
      ...APPS.map((app) => through(app)),
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      liked_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      likes: 1,
      my_likes: [3],
      voted: 'yes',
      total_votes: 1,
      registered: '127.0.0.1:9',
      services: expect.arrayContaining(['typed/passing', 'registry/passing']),
    });
  });
});
