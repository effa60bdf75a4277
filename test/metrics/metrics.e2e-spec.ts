import { promtool, readmeTableNames, request, TestStack, waitFor } from '../support';

jest.setTimeout(120_000);

/** The value of the sample `series` (name and labels exactly as exposed) in a /metrics text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let stack: TestStack;
  const metricsOf = async (url: string) => (await request<string>(url, '/metrics')).body;

  beforeAll(async () => {
    stack = await TestStack.start({ likes: 1, polls: 1 });
  });
  afterAll(() => stack?.stop());

  it('passes promtool check metrics on every app, after traffic of every kind', async () => {
    const [likes, polls, registry] = [stack.likes[0].url, stack.polls[0].url, stack.registry.url];
    await request(likes, '/posts/7/likes', { method: 'POST', json: { username: 'ann' } });
    await request(likes, '/posts/7/likes', { method: 'POST', json: { username: 'ann' } }); // 409
    await request(polls, '/polls/nope'); // 404
    await request(registry, '/no/such/route');
    for (const url of [likes, polls, registry]) {
      const response = await request<string>(url, '/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      await expect(promtool(['check', 'metrics'], response.body)).resolves.toBeDefined();
      // Process metrics come with every app's own.
      expect(response.body).toContain('process_cpu_seconds_total');
    }
  });

  it("exposes the metrics the README's table lists, and no other of its own", async () => {
    const documented = readmeTableNames('Metrics (Prometheus)');
    const families = [stack.likes[0].url, stack.polls[0].url, stack.registry.url].map(async (url) =>
      [...(await metricsOf(url)).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]),
    );
    const exposed = new Set((await Promise.all(families)).flat());
    const listed = (name: string) =>
      documented.some((row) => (row.endsWith('*') ? name.startsWith(row.slice(0, -1)) : name === row));
    expect(documented.length).toBeGreaterThan(10);
    expect(documented.filter((row) => !row.endsWith('*') && !exposed.has(row))).toEqual([]);
    expect([...exposed].filter((name) => !listed(name))).toEqual([]);
  });

  it('labels requests with the route template and status, never the raw URL', async () => {
    const likes = stack.likes[0].url;
    await request(likes, '/posts/41/likes', { method: 'POST', json: { username: 'bo' } });
    await request(likes, '/posts/41/likes', { method: 'POST', json: { username: 'bo' } });
    await request(likes, '/scanner/41/probe');
    const text = await metricsOf(likes);
    const created =
      'http_request_duration_seconds_count{method="POST",route="/posts/:id/likes",status_code="201"}';
    const conflict =
      'http_request_duration_seconds_count{method="POST",route="/posts/:id/likes",status_code="409"}';
    expect(sample(text, created)).toBeGreaterThanOrEqual(1);
    expect(sample(text, conflict)).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}'),
    ).toBe(1);
    expect(text).not.toContain('/posts/41');
    expect(text).not.toContain('scanner');
    // The scrape itself, and at most HAProxy's and the registry's health checks landing beside it.
    expect(sample(text, 'http_requests_in_flight')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'http_requests_in_flight')).toBeLessThanOrEqual(3);
  });

  it("adds the registry's rounds, checks by result and instances by service and status", async () => {
    const registry = stack.registry.url;
    // A round may have run before likes registered: wait for one that checked it, and for a round
    // to have finished (checks are counted as they are made, a round's time when it ends).
    const likesChecked = 'chirp_registry_checks_total{service="likes",result="passed"}';
    const rounds = 'chirp_registry_round_duration_seconds_count';
    const text = await waitFor(
      'a round that checked likes',
      async () => {
        const t = await metricsOf(registry);
        return (sample(t, likesChecked) ?? 0) > 0 && (sample(t, rounds) ?? 0) > 0 && t;
      },
      30_000,
    );
    expect(sample(text, 'chirp_registry_instances{service="likes",status="passing"}')).toBe(1);
    expect(sample(text, 'chirp_registry_instances{service="polls",status="passing"}')).toBe(1);
    expect(
      sample(text, `chirp_registry_haproxy_sync_errors_total{target="127.0.0.1:${stack.haproxy.runtime}"}`),
    ).toBe(0);
    // Settled by now: never past HAPROXY_MAX_LAG_MS (5 s), when a full reconcile catches it up.
    expect(
      sample(text, `chirp_registry_haproxy_lag_seconds{target="127.0.0.1:${stack.haproxy.runtime}"}`),
    ).toBeLessThan(5);
  });

  it('is not public: each HAProxy frontend answers 404 in JSON, however the path is spelled', async () => {
    const { likes, polls, registry } = stack.haproxy;
    for (const port of [likes, polls, registry]) {
      for (const path of ['/metrics', '/metrics/', '/metrics?x=1', '/%6Detrics', '//metrics']) {
        const response = await request(`http://127.0.0.1:${port}`, path);
        expect({ port, path, status: response.status, body: response.body }).toEqual({
          port,
          path,
          status: 404,
          body: { error: 'Not Found', message: expect.stringContaining('own port') as string },
        });
      }
    }
    // Everything else still goes through.
    expect((await request(`http://127.0.0.1:${likes}`, '/health-check')).status).toBe(200);
  });

  it("serves HAProxy's own exporter on HAPROXY_METRICS_ADDR", async () => {
    const response = await request<string>(`http://127.0.0.1:${stack.haproxy.metrics}`, '/metrics');
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/^haproxy_backend_active_servers\{proxy="likes"\} 1$/m);
  });

  it('lists the passing instances at GET /prometheus/targets, for Prometheus', async () => {
    const { body } = await request<{ targets: string[]; labels: Record<string, string> }[]>(
      `http://127.0.0.1:${stack.haproxy.registry}`,
      '/prometheus/targets',
    );
    const expected = [stack.registry, stack.likes[0], stack.polls[0]].map((app, i) => ({
      targets: [`127.0.0.1:${app.port}`],
      labels: { service: ['registry', 'likes', 'polls'][i], instance_id: `127.0.0.1:${app.port}` },
    }));
    expect(body).toEqual(expect.arrayContaining(expected));
    expect(body).toHaveLength(3);
  });
});
