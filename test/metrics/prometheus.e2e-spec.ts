import { promtool, request, TestPrometheus, TestStack, waitFor } from '../support';

jest.setTimeout(180_000);

/**
 * prometheus.yml's http_sd refresh_interval, plus the 5 s Prometheus's discovery manager batches updates
 * over, plus slack for a busy machine: 10 s is the worst case with nothing to spare, and CI once saw a
 * drop land just after it.
 */
const ONE_REFRESH_MS = 5_000 + 5_000 + 5_000;

interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

describe('Prometheus, finding the instances through the registry', () => {
  let stack: TestStack;
  let prometheus: TestPrometheus;

  /** The passing instances as the registry lists them to Prometheus, as `service instance_id` lines. */
  const registryTargets = async () =>
    (await request<TargetGroup[]>(`http://127.0.0.1:${stack.haproxy.registry}`, '/prometheus/targets')).body
      .map((g) => `${g.labels.service} ${g.labels.instance_id}`)
      .sort();
  /** What Prometheus scrapes through that discovery, in the same form. */
  const scraped = async () =>
    (await prometheus.targets())
      .filter((t) => t.labels.service !== undefined)
      .map((t) => `${t.labels.service} ${t.labels.instance_id}`)
      .sort();

  beforeAll(async () => {
    stack = await TestStack.start({ likes: 2, polls: 1 });
    prometheus = await TestPrometheus.start(
      `127.0.0.1:${stack.haproxy.registry}`,
      `127.0.0.1:${stack.haproxy.metrics}`,
    );
  });
  afterAll(async () => {
    await prometheus?.stop();
    await stack?.stop();
  });

  it('runs a configuration promtool check config passes', async () => {
    await expect(promtool(['check', 'config', prometheus.configFile])).resolves.toMatch(/SUCCESS/);
  });

  it("scrapes exactly the registry's passing instances, each up, labelled with service and instance_id", async () => {
    const expected = [
      `registry 127.0.0.1:${stack.registry.port}`,
      ...stack.likes.map((app) => `likes 127.0.0.1:${app.port}`),
      ...stack.polls.map((app) => `polls 127.0.0.1:${app.port}`),
    ].sort();
    expect(await registryTargets()).toEqual(expected);
    await waitFor(
      'Prometheus to list the registry’s targets',
      async () => (await scraped()).join() === expected.join(),
      ONE_REFRESH_MS,
    );
    const targets = await waitFor('every target scraped', async () => {
      const all = (await prometheus.targets()).filter((t) => t.labels.service !== undefined);
      return all.every((t) => t.health === 'up') && all;
    });
    for (const target of targets) {
      expect(target.labels.job).toBe(target.labels.service);
      expect(target.scrapeUrl).toBe(`http://${target.labels.instance_id}/metrics`);
    }
  });

  it('follows the registry within one refresh: a new instance appears, a stopped one goes', async () => {
    const added = await stack.addLikes();
    const gone = stack.likes[0];
    await waitFor('the new instance listed', async () =>
      (await registryTargets()).includes(`likes 127.0.0.1:${added.port}`),
    );
    await waitFor(
      'Prometheus to add it',
      async () => (await scraped()).join() === (await registryTargets()).join(),
      ONE_REFRESH_MS,
    );

    await gone.stop(); // SIGTERM: it deregisters
    stack.likes.splice(0, 1);
    expect(await registryTargets()).not.toContain(`likes 127.0.0.1:${gone.port}`);
    await waitFor(
      'Prometheus to drop it',
      async () => (await scraped()).join() === (await registryTargets()).join(),
      ONE_REFRESH_MS,
    );
  });

  it("scrapes HAProxy's exporter", async () => {
    const [haproxy] = await waitFor(
      'the haproxy target up',
      async () => {
        const targets = await prometheus.targets('haproxy');
        return targets.length === 1 && targets[0].health === 'up' && targets;
      },
      ONE_REFRESH_MS,
    );
    expect(haproxy.labels.instance).toBe(`127.0.0.1:${stack.haproxy.metrics}`);
  });
});
