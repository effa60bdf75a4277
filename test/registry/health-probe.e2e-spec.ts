import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthProbe } from '../../apps/registry/src/checker/health-probe';
import { type CheckDefinition, DEFAULT_CHECK } from '../../apps/registry/src/instances/instance';
import { loadRegistryConfig } from '../../apps/registry/src/registry.config';

describe(HealthProbe.name, () => {
  let server: Server;
  let base: string;
  let followed = 0;
  let requests = 0;
  const sut = new HealthProbe(loadRegistryConfig({ HEALTH_CHECK_TIMEOUT_MS: '300' }));
  const probe = (path: string, http: 'GET' | 'HEAD' = 'GET', check: CheckDefinition = DEFAULT_CHECK) =>
    sut.probe({ url: base, health_path: path, http, check, ttl: null });

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests++;
      if (request.url === '/ok') return response.end('ok');
      if (request.url === '/redirect') {
        response.writeHead(302, { location: '/followed' });
        return response.end();
      }
      if (request.url === '/followed') {
        followed++;
        return response.end('ok');
      }
      if (request.url === '/broken') {
        response.writeHead(503);
        return response.end();
      }
      // /hang: never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('passes only on 200', async () => {
    expect(await probe('/ok')).toMatchObject({ status_code: 200, passed: true, error: null });
    expect(await probe('/ok', 'HEAD')).toMatchObject({ status_code: 200, passed: true });
    expect(await probe('/broken')).toMatchObject({ status_code: 503, passed: false, error: 'HTTP 503' });
  });

  it('never follows a redirect', async () => {
    expect(await probe('/redirect')).toMatchObject({ status_code: 302, passed: false });
    expect(followed).toBe(0);
  });

  it('gives up on a hung instance at the timeout', async () => {
    const result = await probe('/hang');
    expect(result).toMatchObject({ status_code: null, passed: false, error: 'timed out after 300 ms' });
    expect(result.latency_ms).toBeGreaterThanOrEqual(290);
    expect(result.latency_ms).toBeLessThan(1000);
  });

  it('reports a refused connection', async () => {
    const result = await sut.probe({
      ...{ url: 'http://127.0.0.1:9', health_path: '/health-check', http: 'GET' },
      ...{ check: DEFAULT_CHECK, ttl: null },
    });
    expect(result).toMatchObject({ status_code: null, passed: false, error: 'ECONNREFUSED' });
  });

  it("bounds a probe by the instance's own timeout when it has one", async () => {
    const result = await probe('/hang', 'GET', { type: 'http', interval_ms: null, timeout_ms: 100 });
    expect(result).toMatchObject({ passed: false, error: 'timed out after 100 ms' });
    expect(result.latency_ms).toBeLessThan(290);
  });

  it('passes a TCP check on a listening port and fails it on a closed one, sending nothing', async () => {
    const tcp: CheckDefinition = { type: 'tcp', interval_ms: null, timeout_ms: null };
    const before = requests;
    expect(await probe('/ok', 'GET', tcp)).toMatchObject({ passed: true, error: null, status_code: null });
    expect(requests).toBe(before); // connected, nothing requested
    const closed = await sut.probe({
      url: 'http://127.0.0.1:9',
      health_path: '/',
      http: 'GET',
      check: tcp,
      ttl: null,
    });
    expect(closed).toMatchObject({ passed: false, error: 'ECONNREFUSED' });
  });
});
