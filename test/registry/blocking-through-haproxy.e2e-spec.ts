import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, TestApp, TestHaproxy, waitFor } from '../support';

describe('a blocking query through HAProxy', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;

  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-reg-')), 'registry.db'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
    });
    await waitFor(
      'registry in HAProxy',
      async () => (await haproxy.servers('registry')).get(`127.0.0.1:${registry.port}`) === 'UP',
    );
  });
  afterAll(async () => {
    await registry?.stop();
    await haproxy?.stop();
  });

  it("is held past HAProxy's 30 s default timeouts and answered by the registry, not cut", async () => {
    const url = `http://127.0.0.1:${haproxy.registry}/services`;
    const index = (await request(url)).headers.get('x-registry-index');
    const started = Date.now();
    const held = await fetch(`${url}?index=${index}&wait=32s`, { signal: AbortSignal.timeout(60_000) });
    expect(held.status).toBe(200);
    expect(held.headers.get('x-registry-index')).toBe(index);
    expect(Date.now() - started).toBeGreaterThanOrEqual(32_000);
  });
});
