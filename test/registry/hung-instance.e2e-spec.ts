import { setTimeout as sleep } from 'node:timers/promises';
import { EchoServer, registryDbPath, request, TestApp } from '../support';

interface Round {
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  checked: number;
  failed: number;
}

// The check timeout is longer than the interval, so a hung instance makes every round outlast it.
const INTERVAL_MS = 400;
const TIMEOUT_MS = 1000;

describe('a hung instance', () => {
  let registry: TestApp;
  let healthy: EchoServer;
  let hung: EchoServer;
  /** Every instance once both are registered (the registry lists itself too). */
  let registered: number;

  beforeAll(async () => {
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('hung'),
      HAPROXY_RUNTIME_ADDR: '',
      HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
      HEALTH_FAILURES_BEFORE_PRUNE: '1000',
      LOG_LEVEL: 'warn',
    });
    healthy = await EchoServer.start();
    hung = await EchoServer.start({ hang: true });
    await healthy.register(registry.url, 'likes');
    await hung.register(registry.url, 'likes');
    registered = (await request<{ services: unknown[] }>(registry.url, '/services')).body.services.length;
  });
  afterAll(async () => {
    await registry?.stop();
    await healthy?.stop();
    await hung?.stop();
  });

  it('never makes rounds overlap, and each round ends by the timeout', async () => {
    await sleep(4 * TIMEOUT_MS);
    const rounds = (await request<{ rounds: Round[] }>(registry.url, '/rounds?limit=100')).body.rounds
      // Rounds that ran before the hung instance registered checked fewer; they prove nothing here.
      .filter((r) => r.finished_at !== null && r.checked >= registered)
      .reverse();
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    for (const round of rounds) {
      const duration = round.duration_ms!;
      expect(duration).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(duration).toBeLessThan(TIMEOUT_MS + 1000);
      expect(round.failed).toBe(1);
    }
    rounds
      .slice(1)
      .forEach((round, i) =>
        expect(Date.parse(round.started_at)).toBeGreaterThanOrEqual(Date.parse(rounds[i].finished_at!)),
      );
    expect(registry.child.output).toContain('still running; skipping');
  });

  it('records the timeout in the service history and keeps the healthy instance passing', async () => {
    const { body } = await request<{
      checks: { instance_id: string; error: string | null; passed: boolean }[];
    }>(registry.url, '/services/likes/health?limit=20');
    expect(body.checks.find((c) => c.instance_id === `127.0.0.1:${hung.port}`)?.error).toMatch(/timed out/);
    expect(body.checks.find((c) => c.instance_id === `127.0.0.1:${healthy.port}`)?.passed).toBe(true);
    const { body: passing } = await request<{ instances: { id: string }[] }>(
      registry.url,
      '/services/likes/instances',
    );
    expect(passing.instances.map((i) => i.id)).toEqual([`127.0.0.1:${healthy.port}`]);
  });
});
