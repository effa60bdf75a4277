import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { call, listServices, startRegistry } from './registry-support';

describe('registry API', () => {
  let app: NestFastifyApplication;
  const services = () => listServices(app);

  beforeAll(async () => {
    app = await startRegistry();
  });
  afterAll(() => app.close());

  it('registers from a JSON body, a form body or the query string, idempotently', async () => {
    const json = await call(app, {
      method: 'POST',
      url: '/services',
      json: { service_name: 'likes', url: 'http://127.0.0.1:7401' },
    });
    expect(json.statusCode).toBe(201);
    expect(json.json()).toMatchObject({
      id: '127.0.0.1:7401',
      service_name: 'likes',
      http: 'GET',
      health_path: '/health-check',
      status: 'passing',
    });

    const again = await call(app, {
      method: 'POST',
      url: '/new/service',
      form: 'service_name=likes&url=http://127.0.0.1:7401/',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: '127.0.0.1:7401' });

    // The seed's own example: url written as "http:localhost:5500", method given as http=GET.
    const seed = await call(app, {
      method: 'POST',
      url: '/new/service?service_name=serviceRegistry&url=http:localhost:5500&http=GET',
    });
    expect(seed.statusCode).toBe(201);
    expect(seed.json()).toMatchObject({ url: 'http://localhost:5500', id: 'localhost:5500' });
    // Word for word, typographic quotes included: the same instance, so nothing new.
    const quoted = await call(app, {
      method: 'POST',
      url: encodeURI('/new/service?service_name=”serviceRegistry”&url=”http:localhost:5500”&http=”GET”'),
    });
    expect(quoted.statusCode).toBe(200);
    expect(quoted.json()).toMatchObject({ service_name: 'serviceRegistry', id: 'localhost:5500' });
    expect(await services()).toHaveLength(2);
  });

  it('answers lookups: exists, by service, by id, history', async () => {
    const exists = await call(app, {
      method: 'POST',
      url: '/service/exists?service_name=likes&url=http://127.0.0.1:7401',
    });
    expect(exists.statusCode).toBe(200);
    const missing = await call(app, {
      method: 'POST',
      url: '/service/exists',
      json: { service_name: 'likes', url: 'http://127.0.0.1:9' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Not Found', message: expect.stringContaining('127.0.0.1:9') });

    const healthy = await call(app, { method: 'GET', url: '/services/likes/instances' });
    expect(healthy.json()).toMatchObject({ service_name: 'likes', instances: [{ id: '127.0.0.1:7401' }] });
    expect(
      (await call(app, { method: 'GET', url: '/services/likes/instances/127.0.0.1:7401' })).statusCode,
    ).toBe(200);
    expect(
      (await call(app, { method: 'GET', url: '/services/nobody/instances/127.0.0.1:1' })).statusCode,
    ).toBe(404);

    const reported = await call(app, {
      method: 'POST',
      url: '/urls/healths?service_name=likes&url=http://127.0.0.1:7401&status_code=200',
    });
    expect(reported.statusCode).toBe(201);
    const history = await call(app, { method: 'GET', url: '/health-check?service_name=likes' });
    expect(history.json()).toMatchObject({
      service_name: 'likes',
      checks: [{ instance_id: '127.0.0.1:7401', passed: true }],
    });
    // The seed's example, its misspelt parameter and quotes included.
    const seedHistory = await call(app, {
      method: 'GET',
      url: encodeURI('/health-check?serive_name=”likes”'),
    });
    expect(seedHistory.json()).toEqual(history.json());
    await call(app, {
      method: 'POST',
      url: '/urls/healths',
      json: { service_name: 'likes', url: 'http://127.0.0.1:7401', status_code: 503 },
    });
    expect(
      (await call(app, { method: 'GET', url: '/services/likes/health' })).json<{ checks: unknown[] }>()
        .checks,
    ).toHaveLength(2);
    // httpie puts `field=value` in a JSON body even on GET; it counts like the query string.
    const getWithBody = await call(app, { method: 'GET', url: '/services/likes/health', json: { limit: 1 } });
    expect(getWithBody.json<{ checks: unknown[] }>().checks).toHaveLength(1);
    const badGetBody = await call(app, { method: 'GET', url: '/services/likes/health', json: '{"limit":' });
    expect(badGetBody.statusCode).toBe(400);
    expect((await call(app, { method: 'GET', url: '/health-check' })).json()).toEqual({
      status: 'ok',
      stores: { sqlite: 'up' },
    });
  });

  it('deregisters, returning the removed record', async () => {
    const removed = await call(app, {
      method: 'DELETE',
      url: '/services/serviceRegistry/instances/localhost:5500',
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ service_name: 'serviceRegistry' });
    expect(
      (await call(app, { method: 'DELETE', url: '/services/serviceRegistry/instances/localhost:5500' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('registry API with REGISTRY_TOKEN', () => {
  let app: NestFastifyApplication;
  const register = {
    method: 'POST' as const,
    url: '/services',
    json: { service_name: 'likes', url: 'http://127.0.0.1:7401' },
  };

  beforeAll(async () => {
    app = await startRegistry({ REGISTRY_TOKEN: 's3cret' });
  });
  afterAll(() => app.close());

  it('refuses mutations without the bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 's3cret' }] as Record<
      string,
      string
    >[]) {
      const response = await call(app, { ...register, headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'Unauthorized' });
    }
    expect(
      (await call(app, { method: 'DELETE', url: '/services/likes/instances/127.0.0.1:7401' })).statusCode,
    ).toBe(401);
  });

  it('accepts them with it, and keeps reads open', async () => {
    expect((await call(app, { ...register, headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(
      201,
    );
    expect((await call(app, { method: 'GET', url: '/services' })).statusCode).toBe(200);
  });
});
