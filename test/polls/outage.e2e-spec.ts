import { type Answer, startDynamoDb, type StoreProcess, TestApp, waitFor, request } from '../support';
import { type ErrorBody, initTables, type Poll, pollsEnv, qs } from './polls-support';

describe('polls when DynamoDB Local goes away', () => {
  let dynamo: StoreProcess;
  let env: NodeJS.ProcessEnv;
  let app: TestApp;

  beforeAll(async () => {
    dynamo = await startDynamoDb();
    env = pollsEnv(dynamo, 'outage');
    await initTables(env);
    app = await TestApp.start('polls', env);
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await dynamo?.stop();
  });

  const create = () =>
    request<Poll>(
      app.url,
      `/create/poll${qs({ polls_title: 'Up?', username: 'ops', responses: 'yes,no' })}`,
      {
        method: 'POST',
      },
    );

  it('answers 503 naming dynamodb while it is down, then recovers without a restart', async () => {
    const poll = (await create()).body;
    // Requests in flight while DynamoDB Local stops: each ends (any status), none hangs or crashes the app.
    const traffic = Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(app.url, `/poll/vote${qs({ user: `u${i}`, polls_id: poll.polls_id, choice: 'yes' })}`, {
          method: 'POST',
        }),
      ),
    );
    await dynamo.stop();
    expect((await traffic).every((a) => [201, 503].includes(a.status))).toBe(true);

    const started = Date.now();
    const down: Answer<unknown>[] = await Promise.all([
      create(),
      request(app.url, `/polls/${poll.polls_id}`),
      request(app.url, `/polls/${poll.polls_id}/votes`, {
        method: 'POST',
        json: { user: 'x', choice: 'yes' },
      }),
      request(app.url, '/results'),
      request(app.url, `/polls${qs({ title: 'Up?' })}`),
    ]);
    // After those failures, the health check cannot lean on recent answers: it asks, and is refused.
    down.push(await request(app.url, '/health-check'));
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const answer of down) {
      expect(answer.status).toBe(503);
      expect((answer.body as ErrorBody).message).toMatch(/^dynamodb unavailable/);
    }
    // Bad input is still the caller's fault, store or no store.
    expect(
      (await request(app.url, `/polls/${poll.polls_id}/votes`, { method: 'POST', json: {} })).status,
    ).toBe(400);
    expect(app.child.alive).toBe(true);

    // In memory, a restart loses the tables: 503 until the init path makes them again.
    await dynamo.start();
    expect((await request(app.url, '/health-check')).status).toBe(503);
    await initTables(env);
    await waitFor(
      'polls healthy again',
      async () => (await request(app.url, '/health-check')).status === 200,
    );
    const again = await create();
    expect(again.status).toBe(201);
    const voted = await request(app.url, `/polls/${again.body.polls_id}/votes`, {
      method: 'POST',
      json: { user: 'ops', choice: 'no' },
    });
    expect(voted.status).toBe(201);
    expect(app.child.alive).toBe(true);
  }, 120_000);
});
