import { XMLParser } from 'fast-xml-parser';
import {
  Child,
  EchoServer,
  registryDbPath,
  request,
  TestApp,
  TestHaproxy,
  TestPrometheus,
  waitFor,
} from '../support';

jest.setTimeout(120_000);

const TOKEN = 'eureka-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

interface EurekaInstance {
  instanceId: string;
  hostName: string;
  status: string;
  port: { $: number; '@enabled': string };
  metadata: Record<string, string>;
  actionType: string;
}
interface Applications {
  applications: {
    versions__delta: string;
    apps__hashcode: string;
    application: { name: string; instance: EurekaInstance[] }[];
  };
}

/**
 * Eureka's protocol with real clients: the npm eureka-js-client in its own process (registering,
 * renewing, fetching full and delta, going OUT_OF_SERVICE and back, deregistering or killed), and
 * Debian's Prometheus discovering through eureka_sd_configs, against a real registry behind a real
 * HAProxy, with REGISTRY_TOKEN set (Eureka's clients carry it as Basic credentials).
 */
describe("Eureka's REST API", () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;
  const echoes: EchoServer[] = [];
  const clients: Child[] = [];

  const eurekaUrl = () => `http://client:${TOKEN}@127.0.0.1:${haproxy.registry}/eureka/apps/`;
  const echo = async () => {
    const server = await EchoServer.start();
    echoes.push(server);
    return server;
  };
  const registerLikes = (server: EchoServer) =>
    request(registry.url, '/services', {
      method: 'POST',
      headers: AUTH,
      json: { service_name: 'likes', url: server.url, meta: { version: '9.9.9' } },
    });
  const deregister = (service: string, id: string) =>
    request(registry.url, `/services/${service}/instances/${id}`, { method: 'DELETE', headers: AUTH });
  const apps = async () =>
    (await request<Applications>(registry.url, '/eureka/apps', { headers: { accept: 'application/json' } }))
      .body;
  const eurekaInstance = (app: string, id: string) =>
    request<{ instance: EurekaInstance }>(registry.url, `/eureka/apps/${app}/${id}`, {
      headers: { accept: 'application/json' },
    });
  /** Starts eureka-js-client registering JSCLIENT as `id`, for the echo server `server`. */
  const startClient = (id: string, server: EchoServer, leaseS = 3) => {
    const child = new Child(`eureka-client:${id}`, process.execPath, ['test/support/eureka-client.mjs'], {
      SERVICE_URL: eurekaUrl(),
      APP: 'jsclient',
      INSTANCE_ID: id,
      PORT: String(server.port),
      LEASE_S: String(leaseS),
      FETCH_MS: '500',
      WATCH_VIP: 'likes',
    }).start();
    clients.push(child);
    return child;
  };
  /** What the client saw last: the likes instances and its own app's, as host:port. */
  const seenBy = (child: Child): { watch: string[]; self: string[] } | undefined => {
    const lines = child.output.split('\n').filter((l) => l.startsWith('SEES '));
    return lines.length
      ? (JSON.parse(lines.at(-1)!.slice(5)) as { watch: string[]; self: string[] })
      : undefined;
  };

  /** Waits until what `child` sees passes `check`; a timeout says what it saw and what a delta holds. */
  const clientSees = (
    child: Child,
    what: string,
    check: (seen: { watch: string[]; self: string[] }) => boolean,
  ) =>
    waitFor(`the client to see ${what}`, async () => {
      const seen = seenBy(child);
      if (seen && check(seen)) return true;
      const delta = await request<Applications>(registry.url, '/eureka/apps/delta', {
        headers: { accept: 'application/json' },
      });
      const listed = delta.body.applications.application.flatMap((a) =>
        a.instance.map((i) => `${i.instanceId} ${i.status} ${i.actionType}`),
      );
      throw new Error(`it sees ${JSON.stringify(seen)}; a delta now lists ${listed.join(', ') || 'nothing'}`);
    });

  beforeAll(async () => {
    haproxy = await TestHaproxy.start({ slots: 8 });
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('eureka'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: '1000',
      HEALTH_CHECK_TIMEOUT_MS: '500',
      REGISTRY_TOKEN: TOKEN,
    });
    await waitFor('the registry routed', async () => (await haproxy.servers('registry')).size === 1);
    for (const server of [await echo(), await echo()]) expect((await registerLikes(server)).status).toBe(201);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop('SIGKILL')));
    await Promise.all(echoes.map((e) => e.stop('SIGKILL')));
    await registry?.stop();
    await haproxy?.stop();
  });

  it('answers XML unless asked for JSON, with the hash code Eureka computes', async () => {
    const xml = await fetch(`${registry.url}/eureka/apps`);
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(
      await xml.text(),
    ) as {
      applications: { apps__hashcode: string; application: { name: string }[] | { name: string } };
    };
    const names = [parsed.applications.application].flat().map((a) => a.name);
    expect(names.sort()).toEqual(['LIKES', 'REGISTRY']);
    expect(parsed.applications.apps__hashcode).toBe('UP_3_');
    const json = await apps();
    expect(json.applications).toMatchObject({ versions__delta: '1', apps__hashcode: 'UP_3_' });
    const likes = json.applications.application.find((a) => a.name === 'LIKES')!;
    expect(likes.instance[0]).toMatchObject({
      status: 'UP',
      hostName: '127.0.0.1',
      port: { '@enabled': 'true' },
      metadata: { version: '9.9.9' },
    });
  });

  it('refuses bad registrations with a 400 naming the problem, and writes without the token with 401', async () => {
    const post = (body: string, type: string, headers: Record<string, string> = AUTH) =>
      fetch(`${registry.url}/eureka/apps/WIDGET`, {
        method: 'POST',
        body,
        headers: { ...headers, 'content-type': type },
      });
    const malformed = await post('<instance><app>WIDGET</app>', 'application/xml');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/^The XML body is malformed: /);
    const noPort = await post(
      JSON.stringify({ instance: { app: 'WIDGET', hostName: '127.0.0.1' } }),
      'application/json',
    );
    expect(((await noPort.json()) as { message: string }).message).toMatch(
      /^instance\.port: needs an enabled port/,
    );
    const otherApp = await post(
      JSON.stringify({
        instance: { app: 'GADGET', hostName: '127.0.0.1', port: { $: 1234, '@enabled': 'true' } },
      }),
      'application/json',
    );
    expect(((await otherApp.json()) as { message: string }).message).toMatch(
      /^instance\.app: must name the app/,
    );
    const valid = JSON.stringify({ instance: { app: 'WIDGET', hostName: '127.0.0.1', port: 1234 } });
    expect((await post(valid, 'application/json', {})).status).toBe(401);
    expect((await request(registry.url, '/eureka/apps/WIDGET')).status).toBe(404);
  });

  it('registers an XML InstanceInfo, as the Java client sends it, and cancels it', async () => {
    const server = await echo();
    const xml = `<instance><instanceId>xml-1</instanceId><hostName>localhost</hostName><app>XMLAPP</app>
      <ipAddr>127.0.0.1</ipAddr><status>UP</status><port enabled="true">${server.port}</port>
      <securePort enabled="false">443</securePort><leaseInfo><durationInSecs>30</durationInSecs></leaseInfo>
      <metadata><zone>eu-1</zone></metadata></instance>`;
    const registered = await fetch(`${registry.url}/eureka/apps/XMLAPP`, {
      method: 'POST',
      body: xml,
      headers: { ...AUTH, 'content-type': 'application/xml' },
    });
    expect(registered.status).toBe(204);
    const { body } = await eurekaInstance('XMLAPP', 'xml-1');
    expect(body.instance).toMatchObject({ instanceId: 'xml-1', status: 'UP', metadata: { zone: 'eu-1' } });
    const chirp = await request<{ check: { type: string; ttl_ms: number } }>(
      registry.url,
      `/services/xmlapp/instances/127.0.0.1:${server.port}`,
    );
    expect(chirp.body.check).toMatchObject({ type: 'ttl', ttl_ms: 30_000 });
    const cancelled = await request(registry.url, '/eureka/apps/XMLAPP/xml-1', {
      method: 'DELETE',
      headers: AUTH,
    });
    expect(cancelled.status).toBe(200);
    expect((await eurekaInstance('XMLAPP', 'xml-1')).status).toBe(404);
  });

  it('keeps an instance that registers STARTING out of traffic until it says UP', async () => {
    const server = await echo();
    const address = `127.0.0.1:${server.port}`;
    const instance = {
      app: 'LIKES',
      instanceId: 'starting-1',
      ipAddr: '127.0.0.1',
      port: server.port,
      status: 'STARTING',
    };
    const registered = await request(registry.url, '/eureka/apps/LIKES', {
      method: 'POST',
      headers: AUTH,
      json: { instance },
    });
    expect(registered.status).toBe(204);
    expect((await eurekaInstance('LIKES', 'starting-1')).body.instance.status).toBe('STARTING');
    expect((await haproxy.servers('likes')).get(address)).toBeUndefined(); // never given a slot
    const up = await request(registry.url, '/eureka/apps/LIKES/starting-1/status?value=UP', {
      method: 'PUT',
      headers: AUTH,
    });
    expect(up.status).toBe(200);
    expect((await haproxy.servers('likes')).get(address)).toBe('no check'); // routed, HAProxy's check off
    await request(registry.url, '/eureka/apps/LIKES/starting-1', { method: 'DELETE', headers: AUTH });
  });

  it('serves eureka-js-client: register, renew, full and delta fetches, OUT_OF_SERVICE and back, stop', async () => {
    const own = await echo();
    const client = startClient('js-1', own);
    const likes = echoes
      .slice(0, 2)
      .map((e) => `127.0.0.1:${e.port} UP`)
      .sort();
    await waitFor(`the client to see the likes instances and itself\n${client.output}`, () => {
      const seen = seenBy(client);
      return seen?.watch.join() === likes.join() && seen.self.join() === `127.0.0.1:${own.port} UP`;
    });
    // Renewed across three leases (3 s each): never anything but UP.
    for (const end = Date.now() + 9_500; Date.now() < end;) {
      expect((await eurekaInstance('JSCLIENT', 'js-1')).body.instance.status).toBe('UP');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // A change reaches it through a delta (it fetched the full registry once, at start).
    const added = await echo();
    await registerLikes(added);
    await waitFor('the delta adds the new instance', () =>
      seenBy(client)?.watch.includes(`127.0.0.1:${added.port} UP`),
    );
    const delta = (
      await request<Applications>(registry.url, '/eureka/apps/delta', {
        headers: { accept: 'application/json' },
      })
    ).body;
    expect(delta.applications.apps__hashcode).toBe((await apps()).applications.apps__hashcode);
    await deregister('likes', `127.0.0.1:${added.port}`);
    await clientSees(client, 'the delta deletes it', (seen) => seen.watch.join() === likes.join());

    // PUT sets the override; DELETE removes it, `value` being the status to fall back to (UP here).
    const status = (method: string, value: string) =>
      request(registry.url, `/eureka/apps/JSCLIENT/js-1/status?value=${value}`, { method, headers: AUTH });
    expect((await status('PUT', 'OUT_OF_SERVICE')).status).toBe(200);
    const held = await request<{ maintenance: { reason: string } | null }>(
      registry.url,
      `/services/jsclient/instances/127.0.0.1:${own.port}`,
    );
    expect(held.body.maintenance?.reason).toMatch(/OUT_OF_SERVICE/);
    expect((await eurekaInstance('JSCLIENT', 'js-1')).body.instance.status).toBe('OUT_OF_SERVICE');
    await clientSees(
      client,
      'itself OUT_OF_SERVICE',
      (seen) => seen.self.join() === `127.0.0.1:${own.port} OUT_OF_SERVICE`,
    );
    expect((await status('DELETE', 'UP')).status).toBe(200);
    expect((await eurekaInstance('JSCLIENT', 'js-1')).body.instance.status).toBe('UP');
    await clientSees(client, 'itself UP again', (seen) => seen.self.join() === `127.0.0.1:${own.port} UP`);

    await client.stop('SIGTERM');
    expect((await eurekaInstance('JSCLIENT', 'js-1')).status).toBe(404);
  });

  it('turns a client killed without deregistering critical when its lease lapses, then prunes it', async () => {
    const own = await echo();
    const client = startClient('js-2', own, 2);
    await waitFor('registered', async () => (await eurekaInstance('JSCLIENT', 'js-2')).status === 200);
    await client.stop('SIGKILL');
    const killed = Date.now();
    // Pruned at its first failed check by default (HEALTH_FAILURES_BEFORE_PRUNE=1): DOWN, then gone.
    await waitFor(
      'gone once the lease lapsed',
      async () => (await eurekaInstance('JSCLIENT', 'js-2')).status === 404,
    );
    expect(Date.now() - killed).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - killed).toBeLessThan(2_000 + 2_000);
  });

  it("feeds Prometheus's eureka_sd_configs: every instance with its app, status and metadata, following changes", async () => {
    const prometheus = await TestPrometheus.start(
      `127.0.0.1:${haproxy.registry}`,
      `127.0.0.1:${haproxy.metrics}`,
    );
    try {
      const discovered = async () =>
        (await prometheus.discovered('chirp')).map((labels) => ({
          app: labels.__meta_eureka_app_name,
          status: labels.__meta_eureka_app_instance_status,
          version: labels.__meta_eureka_app_instance_metadata_version,
          address: labels.__address__,
        }));
      const listed = async (address: string) =>
        (await discovered()).some(
          (d) => d.address === address && d.app === 'LIKES' && d.status === 'UP' && d.version === '9.9.9',
        );
      const likes = echoes.slice(0, 2).map((e) => `127.0.0.1:${e.port}`);
      await waitFor(
        'Prometheus to discover the likes instances',
        async () => {
          if ((await Promise.all(likes.map(listed))).every(Boolean)) return true;
          throw new Error(`discovered so far: ${JSON.stringify(await prometheus.discovered('chirp'))}`);
        },
        20_000,
      );
      const added = await echo();
      await registerLikes(added);
      await waitFor('Prometheus to add one', () => listed(`127.0.0.1:${added.port}`), 20_000);
      await deregister('likes', `127.0.0.1:${added.port}`);
      await waitFor(
        'and drop it',
        async () => !(await discovered()).some((d) => d.address === `127.0.0.1:${added.port}`),
        20_000,
      );
    } finally {
      await prometheus.stop();
    }
  });
});
