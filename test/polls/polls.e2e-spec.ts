import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDb, type StoreProcess, TestApp, request } from '../support';
import {
  directClient,
  type ErrorBody,
  initTables,
  type Page,
  type Poll,
  pollsEnv,
  qs,
  storedVotes,
} from './polls-support';

describe('polls against DynamoDB Local', () => {
  let dynamo: StoreProcess;
  let env: NodeJS.ProcessEnv;
  let app: TestApp;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynamoDb();
    env = pollsEnv(dynamo, 'e2e');
    await initTables(env);
    app = await TestApp.start('polls', env);
    db = directClient(env);
  }, 120_000);
  afterAll(async () => {
    db?.destroy();
    await app?.stop();
    await dynamo?.stop();
  });

  const create = async (title: string, responses: string[] | string, username = 'chris') => {
    const { status, body } = await request<Poll>(app.url, '/polls', {
      method: 'POST',
      json: { polls_title: title, username, responses },
    });
    expect(status).toBe(201);
    return body;
  };
  const vote = (pollsId: string, user: string, choice: string) =>
    request(app.url, `/poll/vote${qs({ user, polls_id: pollsId, choice })}`, { method: 'POST' });

  it('creates a poll and gets it back by id, both ways', async () => {
    const poll = await create('Italian or Mexican?', 'Italian,Mexican');
    expect(poll).toMatchObject({
      polls_title: 'Italian or Mexican?',
      username: 'chris',
      responses: ['Italian', 'Mexican'],
      total_votes: 0,
    });
    expect((await request<Poll>(app.url, `/polls/${poll.polls_id}`)).body).toEqual(poll);
    const seed = await request<Poll>(app.url, `/polls${qs({ polls_id: poll.polls_id })}`, { method: 'POST' });
    expect(seed.status).toBe(200);
    expect(seed.body).toEqual(poll);
    expect((await request(app.url, '/polls/no-such-poll')).status).toBe(404);
  });

  it('counts 100 concurrent votes by one user once, and answers the other 99 with 409', async () => {
    const poll = await create('Once only', ['yes', 'no']);
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => vote(poll.polls_id, 'dana', i % 2 ? 'yes' : 'no')),
    ).then((answers) => answers.map((a) => a.status));
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const results = (await request<Poll>(app.url, `/polls/${poll.polls_id}`)).body;
    expect(results.total_votes).toBe(1);
    expect(results.results.reduce((sum, r) => sum + r.votes, 0)).toBe(1);
    expect(await storedVotes(db, env, poll.polls_id)).toHaveLength(1);
  });

  it('keeps exact totals under 300 concurrent votes by distinct users over 3 choices', async () => {
    const choices = ['red', 'green', 'blue'];
    const poll = await create('Colours', choices);
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => vote(poll.polls_id, `user-${i}`, choices[i % 3])),
    );
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    const results = (await request<Poll>(app.url, `/polls/${poll.polls_id}/results`)).body;
    expect(results.total_votes).toBe(300);
    expect(results.results).toEqual(choices.map((choice) => ({ choice, votes: 100 })));
    const stored = await storedVotes(db, env, poll.polls_id);
    expect(stored).toHaveLength(300);
    for (const choice of choices) {
      expect(stored.filter((v) => v.choice === choice)).toHaveLength(100);
      const one = await request<{ votes: number }>(
        app.url,
        `/vote/results${qs({ polls_id: poll.polls_id, choice })}`,
      );
      expect(one.body.votes).toBe(100);
    }
  }, 60_000);

  it('finds every poll with a title through the index, a page at a time', async () => {
    const title = `Shared title ${Date.now()}`;
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await create(title, ['a', 'b'], `u${i}`));
    await create(`${title} (not this one)`, ['a', 'b']);
    const seen: Poll[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page<Poll> } = await request<Page<Poll>>(
        app.url,
        `/polls${qs({ title, limit: 3, ...(cursor ? { cursor } : {}) })}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items);
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen.map((p) => p.polls_id).sort()).toEqual(made.map((p) => p.polls_id).sort());
    expect(seen.every((p) => p.polls_title === title)).toBe(true);
  });

  it('pages through all results, each poll exactly once', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<{ polls_id: string; total_votes: number }> } = await request(
        app.url,
        `/results${qs({ limit: 4, ...(cursor ? { cursor } : {}) })}`,
      );
      ids.push(...page.body.items.map((p) => p.polls_id));
      cursor = page.body.cursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    const seed = await request<Page<Poll>>(app.url, `/allresults${qs({ limit: 100 })}`);
    expect(seed.body.items.map((p) => p.polls_id).sort()).toEqual([...ids].sort());
    expect(ids.length).toBeGreaterThanOrEqual(11);
  });

  it('votes through the resource route, and tells unknown polls and choices apart', async () => {
    const poll = await create('Resource vote', ['#a = :b', 'plain']);
    const voted = await request(app.url, `/polls/${poll.polls_id}/votes`, {
      method: 'POST',
      json: { username: 'eve', choice: '#a = :b' },
    });
    expect(voted).toMatchObject({
      status: 201,
      body: { polls_id: poll.polls_id, username: 'eve', choice: '#a = :b' },
    });
    const unknown = await request<ErrorBody>(app.url, `/polls/${poll.polls_id}/votes`, {
      method: 'POST',
      form: { username: 'fay', choice: '#counts' },
    });
    expect(unknown.status).toBe(400);
    expect((await vote('no-such-poll', 'fay', 'plain')).status).toBe(404);
    const results = (await request<Poll>(app.url, `/polls/${poll.polls_id}/results`)).body;
    expect(results.results).toEqual([
      { choice: '#a = :b', votes: 1 },
      { choice: 'plain', votes: 0 },
    ]);
  });

  // Object keys from user text: `__proto__` is special to a plain object, and so to the SDK's marshalling.
  it('takes any response the rules allow, __proto__ and constructor included, and counts votes for it', async () => {
    const poll = await create('Prototype?', ['__proto__', 'constructor', 'toString']);
    expect(poll.results).toEqual([
      { choice: '__proto__', votes: 0 },
      { choice: 'constructor', votes: 0 },
      { choice: 'toString', votes: 0 },
    ]);
    expect((await vote(poll.polls_id, 'gus', '__proto__')).status).toBe(201);
    expect((await vote(poll.polls_id, 'hal', 'constructor')).status).toBe(201);
    expect((await vote(poll.polls_id, 'ivy', 'hasOwnProperty')).status).toBe(400);
    const results = (await request<Poll>(app.url, `/polls/${poll.polls_id}/results`)).body;
    expect(results).toMatchObject({
      total_votes: 2,
      results: [
        { choice: '__proto__', votes: 1 },
        { choice: 'constructor', votes: 1 },
        { choice: 'toString', votes: 0 },
      ],
    });
  });
});
