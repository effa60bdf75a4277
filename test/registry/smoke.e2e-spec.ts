import { version } from '../../package.json';
import { startRegistryBehindHaproxy, type TestApp, type TestHaproxy } from '../support';

describe('registry smoke', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;

  beforeAll(async () => {
    ({ haproxy, registry } = await startRegistryBehindHaproxy({ HEALTH_CHECK_INTERVAL_MS: '500' }));
  });
  afterAll(async () => {
    await registry?.stop();
    await haproxy?.stop();
  });

  it('registers itself, tagged with its app and its version, and is reachable through HAProxy', async () => {
    const response = await fetch(`http://127.0.0.1:${haproxy.registry}/services`);
    const body = (await response.json()) as {
      services: { service_name: string; tags: string[]; meta: Record<string, string> }[];
    };
    expect(body.services).toEqual([
      expect.objectContaining({ service_name: 'registry', tags: ['registry'], meta: { version } }),
    ]);
  });
});
