import { Contract, request, type Send, TestStack } from '../support';

type App = 'likes' | 'polls' | 'registry';
type Step = [method: string, path: string, send?: Send];

/** Eureka's routes answer XML unless asked for JSON, which is what the schemas check. */
const JSON_PLEASE = { accept: 'application/json' };

// Every route of each app, through HAProxy, with the answers users get most: a success on each, and the
// errors a route's own code decides (404, 409, 400). `$ID` is the poll the first step creates.
const STEPS: Record<App, Step[]> = {
  likes: [
    ['POST', '/new/likes', { json: { username: 'cora', posts_id: 1 } }],
    ['POST', '/new/likes', { form: { username: 'cora', posts_id: '1' } }], // 409
    ['POST', '/posts/2/likes', { json: { username: 'cora' } }],
    ['POST', '/posts/999999/likes', { json: { username: 'cora' } }], // 404
    ['POST', '/posts/2/likes', { json: { username: 'no spaces' } }], // 400
    ['DELETE', '/posts/2/likes/cora'],
    ['DELETE', '/posts/2/likes/cora'], // 404
    ['GET', '/likes?posts_id=1'],
    ['GET', '/posts/1/likes'],
    ['GET', '/user/likes?username=cora'],
    ['GET', '/users/cora/likes?limit=1'],
    ['GET', '/users/nobody/likes'],
    ['GET', '/top/likes'],
    ['GET', '/likes/top?limit=3'],
    ['GET', '/health-check'],
  ],
  polls: [
    ['POST', '/create/poll', { json: { polls_title: 'Tea?', username: 'cora', responses: ['yes', 'no'] } }],
    ['POST', '/polls', { json: { polls_title: 'Coffee?', username: 'cora', responses: ['yes', 'no'] } }],
    ['POST', '/polls', { json: { polls_id: '$ID' } }],
    ['POST', '/polls', { json: { polls_title: 'Empty?', username: 'cora', responses: [] } }], // 400
    ['GET', '/polls/$ID'],
    ['GET', '/polls/00000000-0000-4000-8000-000000000000'], // 404
    ['GET', '/polls?title=Tea%3F&limit=1'],
    ['POST', '/poll/vote', { json: { user: 'cora', polls_id: '$ID', choice: 'yes' } }],
    ['POST', '/polls/$ID/votes', { json: { username: 'cora', choice: 'no' } }], // 409
    ['POST', '/polls/$ID/votes', { form: { username: 'dan', choice: 'no' } }],
    ['GET', '/vote/results?polls_id=$ID'],
    ['GET', '/vote/results?polls_id=$ID&choice=yes'],
    ['GET', '/polls/$ID/results'],
    ['GET', '/allresults?limit=1'],
    ['GET', '/results'],
    ['GET', '/health-check'],
  ],
  registry: [
    ['POST', '/services', { json: { service_name: 'shop', url: 'http://127.0.0.1:1/', tags: ['v1'] } }],
    ['POST', '/services', { json: { service_name: 'shop', url: 'http://127.0.0.1:1/', tags: ['v1'] } }],
    ['POST', '/new/service', { json: { service_name: 'cart', url: 'http:localhost:2', http: 'GET' } }],
    ['POST', '/services', { json: { service_name: 'shop', url: 'http://127.0.0.1:0/' } }], // 400
    ['POST', '/service/exists', { json: { service_name: 'shop', url: 'http://127.0.0.1:1/' } }],
    ['POST', '/service/exists', { json: { service_name: 'shop', url: 'http://127.0.0.1:9/' } }], // 404
    ['GET', '/services'],
    ['GET', '/services/registry/instances'],
    ['GET', '/services/shop/instances?tag=v1'],
    ['GET', '/prometheus/targets'],
    ['GET', '/services/shop/instances/127.0.0.1:1'],
    [
      'POST',
      '/urls/healths',
      { json: { service_name: 'shop', url: 'http://127.0.0.1:1/', status_code: 200 } },
    ],
    ['GET', '/services/shop/health?limit=5'],
    ['GET', '/health-check'],
    ['GET', '/health-check?service_name=registry'],
    ['GET', '/rounds?limit=2'],
    ['GET', '/ui'],
    ['GET', '/ui/state'],
    ['GET', '/ui/assets/dashboard.css'],
    ['GET', '/ui/assets/dashboard.js'],
    ['GET', '/ui/assets/nothing.txt'], // 404
    ['GET', '/v1/agent/self'],
    ['GET', '/v1/catalog/datacenters'],
    ['GET', '/v1/status/leader'],
    ['GET', '/v1/catalog/services'],
    ['GET', '/v1/catalog/nodes'],
    ['GET', '/v1/catalog/service/shop'],
    ['GET', '/v1/health/service/registry?passing=true'],
    [
      'POST',
      '/services',
      { json: { service_name: 'cron', url: 'http://127.0.0.1:3', check: { type: 'ttl', ttl: '1m' } } },
    ],
    [
      'POST',
      '/services',
      { json: { service_name: 'cron', url: 'http://127.0.0.1:3', check: { type: 'ttl' } } },
    ], // 400
    ['PUT', '/services/cron/instances/127.0.0.1:3/ttl', { json: { status: 'passing', output: 'ok' } }],
    ['PUT', '/services/shop/instances/127.0.0.1:1/ttl', { json: { status: 'passing' } }], // 409
    ['PUT', '/services/cron/instances/127.0.0.1:9/ttl', { json: { status: 'critical' } }], // 404
    ['DELETE', '/services/cron/instances/127.0.0.1:3'],
    [
      'POST',
      '/eureka/apps/CRON',
      { json: { instance: { app: 'CRON', instanceId: 'cron-1', hostName: '127.0.0.1', port: 4 } } },
    ],
    ['POST', '/eureka/apps/CRON', { json: { instance: { app: 'CRON' } } }], // 400
    ['PUT', '/eureka/apps/CRON/cron-1', { headers: JSON_PLEASE }],
    ['PUT', '/eureka/apps/CRON/nobody', { headers: JSON_PLEASE }], // 404
    ['PUT', '/eureka/apps/CRON/cron-1/metadata?zone=eu', { headers: JSON_PLEASE }],
    ['PUT', '/eureka/apps/CRON/cron-1/status?value=OUT_OF_SERVICE', { headers: JSON_PLEASE }],
    ['PUT', '/eureka/apps/CRON/cron-1/status?value=SIDEWAYS', { headers: JSON_PLEASE }], // 400
    ['DELETE', '/eureka/apps/CRON/cron-1/status', { headers: JSON_PLEASE }],
    ['GET', '/eureka/apps', { headers: JSON_PLEASE }],
    ['GET', '/eureka/apps/delta', { headers: JSON_PLEASE }],
    ['GET', '/eureka/apps/CRON', { headers: JSON_PLEASE }],
    ['GET', '/eureka/apps/NOBODY', { headers: JSON_PLEASE }], // 404
    ['GET', '/eureka/apps/CRON/cron-1', { headers: JSON_PLEASE }],
    ['GET', '/eureka/instances/cron-1', { headers: JSON_PLEASE }],
    ['GET', '/eureka/vips/cron', { headers: JSON_PLEASE }],
    ['GET', '/eureka/svips/cron', { headers: JSON_PLEASE }],
    ['DELETE', '/eureka/apps/CRON/cron-1', { headers: JSON_PLEASE }],
    ['PUT', '/services/shop/instances/127.0.0.1:1/weight', { json: { weight: 2 } }],
    ['PUT', '/services/shop/instances/127.0.0.1:1/weight', { json: { weight: 257 } }], // 400
    ['PUT', '/services/shop/instances/127.0.0.1:9/weight', { json: { weight: 2 } }], // 404
    ['PUT', '/services/shop/instances/127.0.0.1:1/maintenance', { json: { reason: 'upgrade' } }],
    ['GET', '/v1/health/service/shop'],
    ['DELETE', '/services/shop/instances/127.0.0.1:1/maintenance'],
    ['PUT', '/services/shop/maintenance', { form: { reason: 'deploy' } }],
    ['PUT', '/services/shop/maintenance', { json: { enable: false } }],
    ['DELETE', '/services/shop/maintenance'],
    ['DELETE', '/services/nobody/maintenance'], // 404
    ['DELETE', '/services/shop/instances/127.0.0.1:1'],
    ['DELETE', '/services/shop/instances/127.0.0.1:1'], // 404
  ],
};

// Every app serves its documents the same way.
const DOCUMENT_STEPS: Step[] = [
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
  ['GET', '/docs/swagger-ui.css'],
  ['GET', '/docs/swagger-ui-bundle.js'],
  ['GET', '/docs/favicon-32x32.png'],
];

describe('Every answer keeps the contract its own OpenAPI document states, through HAProxy', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ likes: 1, polls: 1, intervalMs: 60_000 });
  });
  afterAll(() => stack?.stop());

  it.each(['likes', 'polls', 'registry'] as const)(
    '%s: each route answers as documented, and every route was walked',
    async (app) => {
      const base = `http://127.0.0.1:${stack.haproxy[app]}`;
      const contract = await Contract.of((await request(base, '/openapi.json')).body);
      let id = '';
      const problems: string[] = [];
      for (const [method, template, send = {}] of [...STEPS[app], ...DOCUMENT_STEPS]) {
        const path = template.replaceAll('$ID', id);
        const json = send.json && JSON.parse(JSON.stringify(send.json).replaceAll('$ID', id));
        // Cache-Control: no-cache: each read reaches an instance, not HAProxy's cache.
        const headers = { 'cache-control': 'no-cache', ...send.headers };
        const answer = await request<unknown>(base, path, { ...send, method, json, headers });
        id ||= (answer.body as { polls_id?: string } | undefined)?.polls_id ?? '';
        problems.push(...contract.problems(method, path, answer));
      }
      expect(problems).toEqual([]);
      expect([...contract.answered].sort()).toEqual([...contract.operations].sort());
    },
  );
});
