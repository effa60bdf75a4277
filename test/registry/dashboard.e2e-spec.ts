import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request } from '../support';
import { startRegistry } from './registry-support';

const get = (app: NestFastifyApplication, url: string) => request(app, url);

describe('the dashboard (/ui) with REGISTRY_TOKEN set', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRegistry({ REGISTRY_TOKEN: 'secret' });
    await request(app, '/services', {
      method: 'POST',
      json: { service_name: 'likes', url: 'http://127.0.0.1:7301' },
      headers: { authorization: 'Bearer secret' },
    });
  });
  afterAll(() => app.close());

  it('serves its page and files to anyone, each with its type', async () => {
    const types = await Promise.all(
      ['/ui', '/ui/assets/dashboard.js', '/ui/assets/dashboard.css'].map(async (url) => {
        const response = await get(app, url);
        expect(response.status).toBe(200);
        return response.headers.get('content-type');
      }),
    );
    expect(types).toEqual([
      'text/html; charset=utf-8',
      'text/javascript; charset=utf-8',
      'text/css; charset=utf-8',
    ]);
  });

  it('loads nothing from elsewhere (works offline, no CDN)', async () => {
    const files = await Promise.all(
      ['/ui', '/ui/assets/dashboard.js', '/ui/assets/dashboard.css'].map(
        async (url) => (await request<string>(app, url)).body,
      ),
    );
    const external = files.join('\n').match(/https?:\/\/[^\s'"`)]+/g) ?? [];
    // The one URL is SVG's namespace, a name rather than a download.
    expect(external).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('answers its state to anyone, as a blocking query with the change index', async () => {
    const response = await get(app, '/ui/state');
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('x-registry-index'))).toBeGreaterThan(0);
    expect(response.body).toMatchObject({
      haproxy_reachable: false,
      services: [{ name: 'likes', instances: [{ id: '127.0.0.1:7301', status: 'passing', haproxy: null }] }],
      haproxy_only: [],
      haproxies: [],
    });
  });

  it('answers 404 in JSON for a file it does not have', async () => {
    const response = await get(app, '/ui/assets/..%2F..%2Fregistry.config.ts');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: 'Not Found',
      message: expect.stringContaining('no dashboard file'),
    });
  });
});
