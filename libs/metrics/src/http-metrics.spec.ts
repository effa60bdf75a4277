import { Controller, Get, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Histogram, Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { MetricsModule } from './metrics.module';

/** A route whose answers wait until the test releases them. */
@Controller()
class HeldController {
  static readonly waiting: (() => void)[] = [];

  @Get('held/:id')
  held(): Promise<{ ok: true }> {
    return new Promise((resolve) => HeldController.waiting.push(() => resolve({ ok: true })));
  }
}

async function startApp(
  enabled: boolean,
): Promise<{ app: INestApplication; url: string; registry: Registry }> {
  const module = await Test.createTestingModule({
    imports: [MetricsModule.forRoot({ enabled })],
    controllers: [HeldController],
  }).compile();
  const app = module.createNestApplication(new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), registry: app.get(Registry) };
}

const value = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l),
  );
  return match?.value ?? 0;
};

/** Requests answered with `labels`: the duration histogram's count. */
const answered = async (registry: Registry, labels: Record<string, string> = {}) => {
  const histogram = registry.getSingleMetric('http_request_duration_seconds') as Histogram | undefined;
  const metric = await histogram?.get();
  return (metric?.values ?? [])
    .filter((v) => v.metricName === 'http_request_duration_seconds_count')
    .filter((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l))
    .reduce((sum, v) => sum + v.value, 0);
};

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await sleep(10);
  expect(await check()).toBe(true);
}

describe(HttpMetrics.name, () => {
  let sut: { app: INestApplication; url: string; registry: Registry };

  beforeAll(async () => {
    sut = await startApp(true);
  });
  afterAll(() => sut.app.close());

  it('counts a request in flight until it is answered, then by route template, method and status', async () => {
    const answer = fetch(`${sut.url}/held/42`);
    await until(() => HeldController.waiting.length === 1);
    expect(await value(sut.registry, 'http_requests_in_flight')).toBe(1);

    HeldController.waiting.shift()!();
    expect((await answer).status).toBe(200);
    await until(async () => (await value(sut.registry, 'http_requests_in_flight')) === 0);
    const labels = { method: 'GET', route: '/held/:id', status_code: '200' };
    expect(await answered(sut.registry, labels)).toBe(1);
    expect(await value(sut.registry, 'http_request_duration_seconds', { ...labels, le: '+Inf' })).toBe(1);
  });

  it('no longer counts a request in flight once its client has gone, and does not time it', async () => {
    const client = new AbortController();
    const answer = fetch(`${sut.url}/held/7`, { signal: client.signal }).catch(() => 'aborted');
    await until(() => HeldController.waiting.length === 1);
    client.abort();
    expect(await answer).toBe('aborted');
    await until(async () => (await value(sut.registry, 'http_requests_in_flight')) === 0);
    HeldController.waiting.shift()!();
    await sleep(50);
    expect(await value(sut.registry, 'http_requests_in_flight')).toBe(0);
    expect(await answered(sut.registry, { route: '/held/:id' })).toBe(1);
  });

  it('labels a path no route has as unmatched, whatever the path', async () => {
    expect((await fetch(`${sut.url}/wp-admin/x.php`)).status).toBe(404);
    await until(async () => (await answered(sut.registry, { route: 'unmatched', status_code: '404' })) === 1);
    expect(await sut.registry.metrics()).not.toContain('wp-admin');
  });

  it('serves the text format at GET /metrics', async () => {
    const response = await fetch(`${sut.url}/metrics`);
    expect(response.headers.get('content-type')).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(await response.text()).toMatch(/^# HELP http_request_duration_seconds /m);
  });

  it('when disabled, serves no /metrics and times nothing', async () => {
    const off = await startApp(false);
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
      expect(await answered(off.registry)).toBe(0);
    } finally {
      await off.app.close();
    }
  });
});
