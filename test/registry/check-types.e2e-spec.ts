import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { RegistrationService } from '../../libs/discovery/src/registration.service';
import { RegistryClient } from '../../libs/discovery/src/registry.client';
import { serverEnv } from '../../libs/config/src/server.config';
import { EchoServer, freePort, registryDbPath, request, TestApp, TestHaproxy, waitFor } from '../support';

const FULL_ROUND_MS = 2_000;
const TTL = '2s';

interface Listed {
  id: string;
  status: string;
  last_output: string;
  check: { type: string; interval_ms: number | null; ttl_ms: number | null };
  ttl: { status: string; expires_at: string } | null;
  message?: string;
}

/**
 * TTL and TCP checks and per-instance intervals with a real registry and a real HAProxy: what the
 * registry records, what HAProxy does with the slot, and how often each instance is actually probed.
 */
describe('check types and per-instance intervals', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;
  const echoes: EchoServer[] = [];

  const echo = async () => {
    const server = await EchoServer.start();
    echoes.push(server);
    return server;
  };
  const register = (service: string, url: string, check: Record<string, unknown>) =>
    request<Listed>(registry.url, '/services', {
      method: 'POST',
      json: { service_name: service, url, check },
    });
  const instance = async (service: string, id: string) =>
    request<Listed>(registry.url, `/services/${service}/instances/${id}`);
  const report = (service: string, id: string, status: string, output = '') =>
    request<Listed>(registry.url, `/services/${service}/instances/${id}/ttl`, {
      method: 'PUT',
      json: { status, output },
    });
  /** HAProxy's status for the slot: `no check` is up, with HAProxy's own check off. */
  const haproxyState = async (server: EchoServer) =>
    (await haproxy.servers('likes')).get(`127.0.0.1:${server.port}`);
  const UP = 'no check';
  const checksAt = async (server: EchoServer) =>
    (await request<{ checks: number }>(server.url, '/')).body.checks;

  beforeAll(async () => {
    haproxy = await TestHaproxy.start({ slots: 4 });
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('checks'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: String(FULL_ROUND_MS),
      HEALTH_CHECK_TIMEOUT_MS: '500',
      HEALTH_FAILURES_BEFORE_PRUNE: '2',
    });
  });
  afterAll(async () => {
    await Promise.all(echoes.map((e) => e.stop('SIGKILL')));
    await registry?.stop();
    await haproxy?.stop();
  });

  it('keeps a TTL instance passing while it reports, critical within ttl + 1 s once it stops, then prunes it', async () => {
    const server = await echo();
    const id = `127.0.0.1:${server.port}`;
    const registered = await register('likes', server.url, { type: 'ttl', ttl: TTL });
    expect(registered.status).toBe(201);
    expect(registered.body.check).toEqual({
      type: 'ttl',
      interval_ms: null,
      timeout_ms: null,
      ttl_ms: 2_000,
    });
    await waitFor('routed', async () => (await haproxyState(server)) === UP);
    // Three TTL periods of renewals: never critical.
    for (let i = 0; i < 9; i++) {
      expect((await report('likes', id, 'passing', 'all good')).body.status).toBe('passing');
      await sleep(700);
      expect((await instance('likes', id)).body.status).toBe('passing');
    }
    // HAProxy's own HTTP check is off for it: the slot follows the registry.
    expect(await haproxyState(server)).toBe(UP);
    const lastReport = Date.now();
    await waitFor(
      'critical once the TTL lapses',
      async () => (await instance('likes', id)).body.status === 'critical',
    );
    expect(Date.now() - lastReport).toBeLessThan(2_000 + 1_000);
    expect((await instance('likes', id)).body.last_output).toMatch(/^TTL check: TTL expired \d+ ms ago$/);
    expect(await haproxyState(server)).toBe('DOWN');
    await waitFor(
      'pruned by the rules (two failures)',
      async () => (await instance('likes', id)).status === 404,
      6_000,
    );
  });

  it('takes a TTL instance out of traffic at once on a critical report, and back on a passing one', async () => {
    const server = await echo();
    const id = `127.0.0.1:${server.port}`;
    await register('likes', server.url, { type: 'ttl', ttl: '30s' });
    await waitFor('routed', async () => (await haproxyState(server)) === UP);
    const critical = await report('likes', id, 'critical', 'disk full');
    expect(critical.body).toMatchObject({
      status: 'critical',
      last_output: 'disk full',
      ttl: { status: 'critical' },
    });
    expect(await haproxyState(server)).toBe('DOWN'); // already, when the report was answered
    expect((await report('likes', id, 'passing')).body.status).toBe('passing');
    expect(await haproxyState(server)).toBe(UP);
    await request(registry.url, `/services/likes/instances/${id}`, { method: 'DELETE' });
  });

  it('refuses TTL reports it cannot take, changing nothing', async () => {
    const server = await echo();
    const id = `127.0.0.1:${server.port}`;
    await register('shop', server.url, { type: 'http', interval: '10s' });
    expect(await report('shop', id, 'passing')).toMatchObject({ status: 409 });
    expect(await report('shop', '127.0.0.1:1', 'passing')).toMatchObject({ status: 404 });
    const bad = await report('shop', id, 'warning');
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^status: /) } });
    for (const check of [
      { type: 'ttl', ttl: '500ms' },
      { type: 'ttl' },
      { type: 'http', interval: '2h' },
      { type: 'tcp', interval: '5s', timeout: '10s' },
      { type: 'http', timeout: '3s' }, // past the registry's own 2 s interval
      { type: 'grpc' },
      { type: 'http', intervl: '5s' },
    ]) {
      const answer = await register('shop', server.url, check);
      expect({ check, status: answer.status, message: answer.body.message }).toEqual({
        check,
        status: 400,
        message: expect.stringMatching(/^check/),
      });
    }
    expect((await instance('shop', id)).body.check).toMatchObject({ type: 'http', interval_ms: 10_000 });
    await request(registry.url, `/services/shop/instances/${id}`, { method: 'DELETE' });
  });

  it('passes a TCP check on a listening port (routed through HAProxy) and fails it on a closed one', async () => {
    const server = await echo();
    const open = await register('likes', server.url, { type: 'tcp', interval: '1s' });
    expect(open.body.check).toMatchObject({ type: 'tcp', interval_ms: 1_000 });
    await waitFor('routed', async () => (await haproxyState(server)) === UP);
    const answered = await request<{ port: number }>(`http://127.0.0.1:${haproxy.likes}`, '/');
    expect(answered.body.port).toBe(server.port);
    await sleep(1_500);
    expect((await instance('likes', `127.0.0.1:${server.port}`)).body).toMatchObject({
      status: 'passing',
      last_output: `TCP connect 127.0.0.1:${server.port}: Success`,
    });

    const closed = await freePort();
    await register('shop', `http://127.0.0.1:${closed}`, { type: 'tcp', interval: '1s' });
    await waitFor(
      'critical',
      async () => (await instance('shop', `127.0.0.1:${closed}`)).body.status === 'critical',
    );
    expect((await instance('shop', `127.0.0.1:${closed}`)).body.last_output).toBe(
      `TCP connect 127.0.0.1:${closed}: ECONNREFUSED`,
    );
    await request(registry.url, `/services/likes/instances/127.0.0.1:${server.port}`, { method: 'DELETE' });
  });

  it('probes a 1 s instance about ten times as often as a 10 s one', async () => {
    // `shop` has no HAProxy backend: every probe they answer is the registry's.
    const [fast, slow] = await Promise.all([echo(), echo()]);
    await register('shop', fast.url, { type: 'http', interval: '1s' });
    await register('shop', slow.url, { type: 'http', interval: '10s' });
    const start = [await checksAt(fast), await checksAt(slow)];
    await sleep(10_200);
    const probes = [(await checksAt(fast)) - start[0], (await checksAt(slow)) - start[1]];
    // About ten: a tick of slack either way on a busy machine.
    expect(probes[0]).toBeGreaterThanOrEqual(8);
    expect(probes[0]).toBeLessThanOrEqual(12);
    expect(probes[1]).toBeGreaterThanOrEqual(1);
    expect(probes[1]).toBeLessThanOrEqual(2);
  });

  it('registers from libs/discovery with a TTL and renews it across three periods, then deregisters', async () => {
    Logger.overrideLogger(false);
    const port = await freePort();
    const app: Server = createServer((req, res) => res.end('ok'));
    await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
    const env = serverEnv.parse({ PORT: String(port), REGISTRY_URL: registry.url });
    const sut = new RegistrationService(new RegistryClient({ service: 'likes', env, ttlMs: 1_000 }), 3_000);
    try {
      sut.start();
      await waitFor('registered', () => sut.instanceId !== undefined);
      expect((await instance('likes', sut.instanceId!)).body.check.type).toBe('ttl');
      const seen = new Set<string>();
      for (const end = Date.now() + 3_500; Date.now() < end; await sleep(200)) {
        seen.add((await instance('likes', sut.instanceId!)).body.status);
      }
      expect([...seen]).toEqual(['passing']);
    } finally {
      await sut.beforeApplicationShutdown();
      app.close();
    }
    expect((await instance('likes', `127.0.0.1:${port}`)).status).toBe(404);
  });
});
