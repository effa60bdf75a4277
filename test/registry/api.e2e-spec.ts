import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request } from '../support';
import { listServices, startRegistry } from './registry-support';

describe('registry API', () => {
  let app: NestFastifyApplication;
  const services = () => listServices(app);

  beforeAll(async () => {
    app = await startRegistry();
  });
  afterAll(() => app.close());

  it('registers from a JSON body, a form body or the query string, idempotently', async () => {
    const json = await request(app, '/services', {
      method: 'POST',
      json: { service_name: 'likes', url: 'http://127.0.0.1:7401' },
    });
    expect(json.status).toBe(201);
    expect(json.body).toMatchObject({
      id: '127.0.0.1:7401',
      service_name: 'likes',
      http: 'GET',
      health_path: '/health-check',
      status: 'passing',
    });

    const again = await request(app, '/new/service', {
      method: 'POST',
      form: 'service_name=likes&url=http://127.0.0.1:7401/',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: '127.0.0.1:7401' });

    // The seed's own example: url written as "http:localhost:5500", method given as http=GET.
    const seed = await request(
      app,
      '/new/service?service_name=serviceRegistry&url=http:localhost:5500&http=GET',
      { method: 'POST' },
    );
    expect(seed.status).toBe(201);
    expect(seed.body).toMatchObject({ url: 'http://localhost:5500', id: 'localhost:5500' });
    // Word for word, typographic quotes included: the same instance, so nothing new.
    const quoted = await request(
      app,
      encodeURI('/new/service?service_name=”serviceRegistry”&url=”http:localhost:5500”&http=”GET”'),
      { method: 'POST' },
    );
    expect(quoted.status).toBe(200);
    expect(quoted.body).toMatchObject({ service_name: 'serviceRegistry', id: 'localhost:5500' });
    expect(await services()).toHaveLength(2);
  });

  it('answers lookups: exists, by service, by id, history', async () => {
    const exists = await request(app, '/service/exists?service_name=likes&url=http://127.0.0.1:7401', {
      method: 'POST',
    });
    expect(exists.status).toBe(200);
    const missing = await request(app, '/service/exists', {
      method: 'POST',
      json: { service_name: 'likes', url: 'http://127.0.0.1:9' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Not Found', message: expect.stringContaining('127.0.0.1:9') });

    const healthy = await request(app, '/services/likes/instances');
    expect(healthy.body).toMatchObject({ service_name: 'likes', instances: [{ id: '127.0.0.1:7401' }] });
    expect((await request(app, '/services/likes/instances/127.0.0.1:7401')).status).toBe(200);
    expect((await request(app, '/services/nobody/instances/127.0.0.1:1')).status).toBe(404);

    const reported = await request(
      app,
      '/urls/healths?service_name=likes&url=http://127.0.0.1:7401&status_code=200',
      { method: 'POST' },
    );
    expect(reported.status).toBe(201);
    const history = await request(app, '/health-check?service_name=likes');
    expect(history.body).toMatchObject({
      service_name: 'likes',
      checks: [{ instance_id: '127.0.0.1:7401', passed: true }],
    });
    // The seed's example, its misspelt parameter and quotes included.
    const seedHistory = await request(app, encodeURI('/health-check?serive_name=”likes”'));
    expect(seedHistory.body).toEqual(history.body);
    await request(app, '/urls/healths', {
      method: 'POST',
      json: { service_name: 'likes', url: 'http://127.0.0.1:7401', status_code: 503 },
    });
    expect((await request<{ checks: unknown[] }>(app, '/services/likes/health')).body.checks).toHaveLength(2);
    // httpie puts `field=value` in a JSON body even on GET; it counts like the query string.
    const getWithBody = await request(app, '/services/likes/health', { json: { limit: 1 } });
    expect(getWithBody.body.checks as unknown[]).toHaveLength(1);
    const badGetBody = await request(app, '/services/likes/health', {
      body: '{"limit":',
      type: 'application/json',
    });
    expect(badGetBody.status).toBe(400);
    // The only registry leads the health checks: the lease's first grant.
    expect((await request(app, '/health-check')).body).toEqual({
      status: 'ok',
      stores: { sqlite: 'up' },
      checker: {
        holder: expect.stringMatching(/^[^/]+\/\d+\/http:\/\/127.0.0.1:\d+\/\w+$/),
        epoch: 1,
        this_registry: true,
      },
      haproxy: [], // HAProxy updates are off here
    });
  });

  it('deregisters, returning the removed record', async () => {
    const removed = await request(app, '/services/serviceRegistry/instances/localhost:5500', {
      method: 'DELETE',
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ service_name: 'serviceRegistry' });
    expect(
      (await request(app, '/services/serviceRegistry/instances/localhost:5500', { method: 'DELETE' })).status,
    ).toBe(404);
  });
});

describe('registry API with REGISTRY_TOKEN', () => {
  let app: NestFastifyApplication;
  const register = { method: 'POST', json: { service_name: 'likes', url: 'http://127.0.0.1:7401' } };

  beforeAll(async () => {
    app = await startRegistry({ REGISTRY_TOKEN: 's3cret' });
  });
  afterAll(() => app.close());

  it('refuses mutations without the bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 's3cret' }] as Record<
      string,
      string
    >[]) {
      const response = await request(app, '/services', { ...register, headers });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'Unauthorized' });
    }
    expect(
      (await request(app, '/services/likes/instances/127.0.0.1:7401', { method: 'DELETE' })).status,
    ).toBe(401);
  });

  it('accepts them with it, and keeps reads open', async () => {
    expect(
      (await request(app, '/services', { ...register, headers: { authorization: 'Bearer s3cret' } })).status,
    ).toBe(201);
    expect((await request(app, '/services')).status).toBe(200);
  });
});
