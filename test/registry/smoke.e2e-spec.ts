import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApp, TestHaproxy, waitFor } from '../support';

describe('registry smoke', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;

  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-reg-')), 'registry.db'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: '500',
    });
  });
  afterAll(async () => {
    await registry?.stop();
    await haproxy?.stop();
  });

  it('registers itself and is reachable through HAProxy', async () => {
    await waitFor(
      'registry in HAProxy',
      async () => (await haproxy.servers('registry')).get(`127.0.0.1:${registry.port}`) === 'UP',
    );
    const response = await fetch(`http://127.0.0.1:${haproxy.registry}/services`);
    const body = (await response.json()) as { services: { service_name: string }[] };
    expect(body.services.map((s) => s.service_name)).toEqual(['registry']);
  });
});
