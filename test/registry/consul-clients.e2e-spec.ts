import Consul from 'consul';
import {
  AGENT_SELF,
  CATALOG_SERVICE,
  CATALOG_SERVICES,
  decodeGo,
  EchoServer,
  registryDbPath,
  request,
  SERVICE_ENTRY,
  TestApp,
  waitFor,
} from '../support';

const TOKEN = 'sesame';
const auth = { authorization: `Bearer ${TOKEN}` };

interface Entry {
  Node: { Node: string; Address: string; Datacenter: string; Meta: Record<string, string> };
  Service: {
    ID: string;
    Service: string;
    Tags: string[];
    Address: string;
    Port: number;
    Meta: Record<string, string>;
  };
  Checks: { Status: string }[];
}

/** hashicorp/consul api HealthChecks.AggregatedStatus: "" for any status it does not know. */
function aggregatedStatus(checks: { Status: string }[]): string {
  let passing = false;
  let critical = false;
  for (const { Status } of checks) {
    if (Status === 'passing') passing = true;
    else if (Status === 'critical') critical = true;
    else if (Status !== 'warning' && Status !== 'maintenance') return '';
  }
  return critical ? 'critical' : passing ? 'passing' : '';
}

/** The labels prometheus/prometheus discovery/consul (v2.42) gives one target, tag separator ",". */
function prometheusLabels(entry: Entry, service: string, dc: string): Record<string, string> {
  const address = entry.Service.Address || entry.Node.Address;
  const labels: Record<string, string> = {
    __address__: `${address}:${entry.Service.Port}`,
    __meta_consul_service: service,
    __meta_consul_dc: dc,
    __meta_consul_address: entry.Node.Address,
    __meta_consul_node: entry.Node.Node,
    __meta_consul_tags: `,${entry.Service.Tags.join(',')},`,
    __meta_consul_service_address: entry.Service.Address,
    __meta_consul_service_port: String(entry.Service.Port),
    __meta_consul_service_id: entry.Service.ID,
    __meta_consul_health: aggregatedStatus(entry.Checks),
  };
  for (const [key, value] of Object.entries(entry.Service.Meta)) {
    labels[`__meta_consul_service_metadata_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`] = value;
  }
  return labels;
}

describe('Consul’s clients against the registry', () => {
  const db = registryDbPath('consul');
  const env = {
    REGISTRY_DB_PATH: db,
    HAPROXY_RUNTIME_ADDR: '',
    REGISTRY_TOKEN: TOKEN,
    HEALTH_CHECK_INTERVAL_MS: '500',
    HEALTH_CHECK_TIMEOUT_MS: '300',
    // A SIGKILLed instance stays critical (listed, not pruned) long enough to be seen so.
    HEALTH_FAILURES_BEFORE_PRUNE: '1000',
    HEALTH_MASS_FAILURE_RATIO: '1',
  };
  let registry: TestApp;
  const echoes: EchoServer[] = [];
  const consulGet = async <T>(path: string, headers: Record<string, string> = {}) => {
    const answer = await request<T>(registry.url, path, { headers });
    return { ...answer, index: Number(answer.headers.get('x-consul-index')) };
  };
  const registerEcho = async (tags = ['likes']) => {
    const echo = await EchoServer.start();
    echoes.push(echo);
    const answer = await request(registry.url, '/services', {
      method: 'POST',
      headers: auth,
      json: { service_name: 'likes', url: echo.url, tags, meta: { version: '1.0.0', 'zone-name': 'a' } },
    });
    expect(answer.status).toBe(201);
    return echo;
  };

  beforeAll(async () => {
    registry = await TestApp.start('registry', env);
    for (let i = 0; i < 3; i++) await registerEcho();
  });
  afterAll(async () => {
    await registry?.stop();
    await Promise.all(echoes.map((echo) => echo.stop()));
  });

  it('serves Prometheus’s consul_sd requests (v2.42) and gives every instance its labels', async () => {
    const self = await consulGet<{ Config: { Datacenter: string } }>('/v1/agent/self');
    decodeGo(self.body, AGENT_SELF);
    const dc = self.body.Config.Datacenter;
    expect(dc).toBe('dc1');

    // The first requests carry no index (the Go client leaves out a WaitIndex of 0).
    const services = await consulGet<Record<string, string[]>>('/v1/catalog/services?wait=120000ms&stale=');
    decodeGo(services.body, CATALOG_SERVICES);
    expect(services.index).toBeGreaterThanOrEqual(1);
    expect(services.body).toMatchObject({ likes: ['likes'], registry: ['registry'] });

    const likes = await consulGet<Entry[]>('/v1/health/service/likes?wait=120000ms&stale=');
    decodeGo(likes.body, { list: SERVICE_ENTRY });
    const labels = likes.body.map((entry) => prometheusLabels(entry, 'likes', dc));
    expect(labels.map((l) => l.__address__)).toEqual(echoes.slice(0, 3).map((e) => `127.0.0.1:${e.port}`));
    for (const [i, set] of labels.entries()) {
      expect(set).toMatchObject({
        __meta_consul_service_id: `127.0.0.1:${echoes[i].port}`,
        __meta_consul_tags: ',likes,',
        __meta_consul_dc: 'dc1',
        __meta_consul_node: '127.0.0.1',
        __meta_consul_service_metadata_version: '1.0.0',
        __meta_consul_service_metadata_zone_name: 'a',
        __meta_consul_service_metadata_url: echoes[i].url,
      });
      expect(['passing', 'critical']).toContain(set.__meta_consul_health);
    }

    // A new instance wakes the held query.
    const held = consulGet<Entry[]>(`/v1/health/service/likes?index=${likes.index}&wait=120000ms&stale=`);
    const added = await registerEcho();
    const woken = await held;
    expect(woken.index).toBeGreaterThan(likes.index);
    expect(woken.body.map((e) => e.Service.Port)).toContain(added.port);

    // A deregistered one is gone.
    const gone = echoes[1];
    expect(
      (
        await request(registry.url, `/services/likes/instances/127.0.0.1:${gone.port}`, {
          method: 'DELETE',
          headers: auth,
        })
      ).status,
    ).toBe(200);
    const after = await consulGet<Entry[]>(
      `/v1/health/service/likes?index=${woken.index}&wait=120000ms&stale=`,
    );
    expect(after.body.map((e) => e.Service.Port)).not.toContain(gone.port);

    // A SIGKILLed one turns critical, seen through blocking queries as Prometheus makes them.
    const killed = echoes[2];
    await killed.stop('SIGKILL');
    let index = after.index;
    await waitFor('the killed instance critical', async () => {
      const next = await consulGet<Entry[]>(`/v1/health/service/likes?index=${index}&wait=2000ms&stale=`);
      index = next.index;
      const entry = next.body.find((e) => e.Service.Port === killed.port);
      return entry !== undefined && prometheusLabels(entry, 'likes', dc).__meta_consul_health === 'critical';
    });

    const catalog = await consulGet<unknown[]>('/v1/catalog/service/likes?stale=');
    decodeGo(catalog.body, { list: CATALOG_SERVICE });

    expect((await consulGet('/v1/catalog/services?stale=', { 'x-consul-token': 'wrong' })).status).toBe(403);
  });

  it('serves consul-template’s requests, with its view loop', async () => {
    // consul-template's view: same index = no change; a lower one resets to 0.
    let last = 0;
    const fetchView = async (path: string) => {
      const answer = await consulGet<Entry[]>(`${path}${last > 0 ? `&index=${last}` : ''}`);
      expect(answer.status).toBe(200);
      const changed = answer.index !== last;
      last = answer.index < last ? 0 : answer.index;
      return { ...answer, changed };
    };
    const first = await fetchView('/v1/health/service/likes?passing=1&stale=&wait=60000ms');
    expect(first.changed).toBe(true);
    expect(first.body.every((e) => aggregatedStatus(e.Checks) === 'passing')).toBe(true);
    const quiet = await fetchView('/v1/health/service/likes?passing=1&stale=&wait=300ms');
    expect(quiet.changed).toBe(false);
    const pending = fetchView('/v1/health/service/likes?passing=1&stale=&wait=60000ms');
    const added = await registerEcho(['likes', 'canary']);
    const next = await pending;
    expect(next.changed).toBe(true);
    expect(next.body.map((e) => e.Service.Port)).toContain(added.port);

    const catalog = await consulGet<Record<string, string[]>>('/v1/catalog/services?stale=&wait=60000ms');
    expect(catalog.body.likes).toEqual(['likes', 'canary']);
  });

  it('works with node-consul: lists, health with passing, and a watch across a restart', async () => {
    const consul = new Consul({ host: '127.0.0.1', port: registry.port, defaults: { token: TOKEN } });
    expect(await consul.catalog.service.list()).toMatchObject({ likes: expect.any(Array) });
    const passing = (await consul.health.service({ service: 'likes', passing: true })) as Entry[];
    expect(passing.length).toBeGreaterThan(0);
    expect(passing.every((e) => e.Checks.every((c) => c.Status === 'passing'))).toBe(true);

    const seen: number[][] = [];
    const errors: unknown[] = [];
    const watch = consul.watch({
      method: consul.health.service,
      options: { service: 'likes', wait: '5s' },
      backoffFactor: 50,
      backoffMax: 500,
    });
    watch.on('change', (data: Entry[]) => seen.push(data.map((e) => e.Service.Port)));
    watch.on('error', (error: unknown) => errors.push(error));
    const sees = (what: string, check: (ports: number[]) => boolean) =>
      waitFor(`the watch to see ${what}`, () => seen.length > 0 && check(seen[seen.length - 1]), 15_000);
    try {
      await sees('the instances', (ports) => ports.length > 0);
      const added = await registerEcho();
      await sees('a registration', (ports) => ports.includes(added.port));
      await request(registry.url, `/services/likes/instances/127.0.0.1:${added.port}`, {
        method: 'DELETE',
        headers: auth,
      });
      await sees('a deregistration', (ports) => !ports.includes(added.port));

      // The registry restarts on its database: the watch reconnects and follows on.
      await registry.stop();
      registry = await TestApp.start('registry', { ...env, PORT: String(registry.port) });
      const later = await registerEcho();
      await sees('a registration after the restart', (ports) => ports.includes(later.port));
      expect(watch.isRunning()).toBe(true);
    } finally {
      watch.end();
      consul.destroy();
    }
  });
});
