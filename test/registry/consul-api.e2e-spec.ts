import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request } from '../support';
import { startRegistry } from './registry-support';

type Entry = {
  Node: { Node: string };
  Service: { ID: string; Port: number; Tags: string[]; Meta: Record<string, string> };
  Checks: { Status: string; CheckID: string }[];
};

describe('registry: tags, meta and the Consul read API', () => {
  let app: NestFastifyApplication;
  const index = async () =>
    Number((await request(app, '/v1/catalog/services')).headers.get('x-consul-index'));

  beforeAll(async () => {
    app = await startRegistry({ REGISTRY_TOKEN: 'sesame', CONSUL_DATACENTER: 'eu1' });
  });
  afterAll(() => app.close());

  it('keeps tags and meta on instances, from JSON or a query, and filters by tag', async () => {
    const auth = { authorization: 'Bearer sesame' };
    const json = await request(app, '/services', {
      method: 'POST',
      headers: auth,
      json: {
        service_name: 'likes',
        url: 'http://127.0.0.1:7401',
        tags: ['likes', 'blue'],
        meta: { version: '1.2.3', __proto__x: 'y' },
      },
    });
    expect(json.status).toBe(201);
    expect(json.body).toMatchObject({ tags: ['likes', 'blue'], meta: { version: '1.2.3' } });
    const query = await request(
      app,
      '/new/service?service_name=likes&url=http://127.0.0.1:7402&tags=likes,green&meta=version:2,zone:a',
      {
        method: 'POST',
        headers: auth,
      },
    );
    expect(query.status).toBe(201);
    expect(query.body).toMatchObject({ tags: ['likes', 'green'], meta: { version: '2', zone: 'a' } });

    const ids = async (path: string) =>
      (await request<{ instances: { id: string }[] }>(app, path)).body.instances.map((i) => i.id);
    expect(await ids('/services/likes/instances?tag=likes')).toEqual(['127.0.0.1:7401', '127.0.0.1:7402']);
    expect(await ids('/services/likes/instances?tag=likes&tag=blue')).toEqual(['127.0.0.1:7401']);
    expect(await ids('/services/likes/instances?tag=red')).toEqual([]);

    // A re-registration replaces them and moves the change index.
    const before = await index();
    const again = await request(app, '/services', {
      method: 'POST',
      headers: auth,
      json: { service_name: 'likes', url: 'http://127.0.0.1:7402' },
    });
    expect(again.body).toMatchObject({ tags: [], meta: {} });
    expect(await index()).toBeGreaterThan(before);
  });

  it('refuses bad tags and meta with a 400 naming the field, storing nothing', async () => {
    const auth = { authorization: 'Bearer sesame' };
    const bad: [string, unknown][] = [
      ['tags', ['ok', 'no spaces']],
      ['tags', Array.from({ length: 33 }, (_, i) => `t${i}`)],
      ['tags', ['x'.repeat(64)]],
      ['tags', 5],
      ['meta', { 'bad key': 'v' }],
      ['meta', { k: 'x'.repeat(513) }],
      ['meta', Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']))],
      ['meta', { k: 1 }],
      ['meta', ['k:v']],
    ];
    for (const [field, value] of bad) {
      const answer = await request<{ message: string }>(app, '/services', {
        method: 'POST',
        headers: auth,
        json: { service_name: 'bad', url: 'http://127.0.0.1:7499', [field]: value },
      });
      expect([field, answer.status]).toEqual([field, 400]);
      expect(answer.body.message).toContain(field);
    }
    // At the limits, both sides: 32 tags of 63, 64 keys of 128 with values of 512.
    const limits = await request(app, '/services', {
      method: 'POST',
      headers: auth,
      json: {
        service_name: 'edge',
        url: 'http://127.0.0.1:7498',
        tags: Array.from({ length: 32 }, (_, i) => `${i}`.padEnd(63, 'x')),
        meta: Object.fromEntries(
          Array.from({ length: 64 }, (_, i) => [`${i}`.padEnd(128, 'k'), 'v'.repeat(512)]),
        ),
      },
    });
    expect(limits.status).toBe(201);
    expect((await request(app, '/services/bad/instances')).body).toMatchObject({ instances: [] });
  });

  it('answers Consul’s reads with Consul’s headers and shapes', async () => {
    const self = await request<Record<string, unknown>>(app, '/v1/agent/self');
    expect(self.status).toBe(200);
    expect(self.body.Config).toMatchObject({ Datacenter: 'eu1' });
    for (const value of Object.values(self.body)) expect(typeof value).toBe('object');

    const services = await request(app, '/v1/catalog/services');
    expect(services.body).toMatchObject({ likes: ['likes', 'blue'] });
    expect(Number(services.headers.get('x-consul-index'))).toBeGreaterThanOrEqual(1);
    expect(services.headers.get('x-consul-knownleader')).toBe('true');
    expect(services.headers.get('x-consul-lastcontact')).toBe('0');

    const health = await request<Entry[]>(app, '/v1/health/service/likes?tag=blue&stale=');
    expect(health.status).toBe(200);
    expect(health.body).toHaveLength(1);
    expect(health.body[0]).toMatchObject({
      Node: { Node: '127.0.0.1' },
      Service: {
        ID: '127.0.0.1:7401',
        Port: 7401,
        Tags: ['likes', 'blue'],
        Meta: { version: '1.2.3', url: 'http://127.0.0.1:7401' },
      },
      Checks: [{ Status: 'passing', CheckID: 'service:127.0.0.1:7401' }],
    });
    const catalog = await request<{ ServiceID: string }[]>(app, '/v1/catalog/service/likes');
    const all = await request<Entry[]>(app, '/v1/health/service/likes');
    expect(catalog.body.map((row) => row.ServiceID)).toEqual(all.body.map((entry) => entry.Service.ID));
    expect((await request(app, '/v1/health/service/nothing-here')).body).toEqual([]);
    expect((await request(app, '/v1/catalog/datacenters')).body).toEqual(['eu1']);
    expect((await request(app, '/v1/status/leader')).body).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await request(app, '/v1/catalog/nodes')).body).toMatchObject([
      { Node: '127.0.0.1', Datacenter: 'eu1' },
    ]);
  });

  it('refuses what would give a wrong answer, and writes', async () => {
    expect((await request(app, '/v1/catalog/services?dc=us9')).status).toBe(500);
    expect((await request(app, '/v1/catalog/services?dc=eu1')).status).toBe(200);
    expect((await request(app, '/v1/catalog/services?ns=team')).status).toBe(400);
    expect((await request(app, '/v1/catalog/services?ns=default&partition=default')).status).toBe(200);
    expect((await request(app, '/v1/health/service/likes?filter=Service.Port==1')).status).toBe(400);
    expect((await request(app, '/v1/health/service/likes?wait=soon&index=1')).status).toBe(400);
    expect((await request(app, '/v1/health/service/likes?index=-1')).status).toBe(400);
    expect((await request(app, '/v1/health/service/likes?passing=maybe')).status).toBe(400);
    const write = await request(app, '/v1/catalog/register', { method: 'PUT', json: {} });
    expect(write.status).toBe(404);
    const method = await request(app, '/v1/catalog/services', { method: 'DELETE' });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET, HEAD');
    expect((await request(app, '/v1/kv/anything')).status).toBe(404);
  });

  it('takes the token three ways: a wrong one is 403 ACL not found, none is an anonymous read', async () => {
    expect(
      (await request(app, '/v1/catalog/services', { headers: { 'x-consul-token': 'nope' } })).status,
    ).toBe(403);
    expect((await request(app, '/v1/catalog/services?token=nope')).status).toBe(403);
    const bearer = await request<{ message: string }>(app, '/v1/catalog/services', {
      headers: { authorization: 'Bearer nope' },
    });
    expect(bearer).toMatchObject({ status: 403, body: { message: 'ACL not found' } });
    expect(
      (await request(app, '/v1/catalog/services', { headers: { 'x-consul-token': 'sesame' } })).status,
    ).toBe(200);
    expect((await request(app, '/v1/catalog/services?token=sesame')).status).toBe(200);
  });

  it('holds a blocking query until the index moves, and answers at once for 0 or an index ahead', async () => {
    const now = await index();
    const started = Date.now();
    expect((await request(app, `/v1/catalog/services?index=0&wait=10s`)).status).toBe(200);
    expect((await request(app, `/v1/catalog/services?index=${now + 1000}&wait=10s`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    const held = request(app, `/v1/health/service/likes?index=${now}&wait=1m30s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await request(app, '/services', {
      method: 'POST',
      headers: { authorization: 'Bearer sesame' },
      json: { service_name: 'likes', url: 'http://127.0.0.1:7404' },
    });
    const answer = await held;
    expect(Number(answer.headers.get('x-consul-index'))).toBeGreaterThan(now);
    expect(Date.now() - started).toBeLessThan(5_000);
    const timed = Date.now();
    const waited = await request(app, `/v1/catalog/services?index=${await index()}&wait=300ms`);
    expect(waited.status).toBe(200);
    expect(Date.now() - timed).toBeGreaterThanOrEqual(290);
  });
});
