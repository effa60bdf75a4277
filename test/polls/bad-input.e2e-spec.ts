import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startDynamoDb, type StoreProcess, request } from '../support';
import { directClient, type ErrorBody, type Poll, pollsEnv, qs, startPollsInProcess } from './polls-support';

interface Case {
  name: string;
  method?: string;
  path: string;
  json?: unknown;
  body?: string;
  type?: string;
  form?: Record<string, string>;
  status?: number;
}

describe('polls bad input (in-process, real DynamoDB Local)', () => {
  let dynamo: StoreProcess;
  let env: NodeJS.ProcessEnv;
  let app: NestFastifyApplication;
  let db: DynamoDBDocumentClient;
  let poll: Poll;

  const count = async (table: string | undefined) =>
    (await db.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }))).Count;

  beforeAll(async () => {
    dynamo = await startDynamoDb();
    env = pollsEnv(dynamo, 'bad');
    app = await startPollsInProcess(env);
    db = directClient(env);
    poll = (
      await request<Poll>(
        app,
        `/create/poll${qs({ polls_title: 'Fixture', username: 'chris', responses: 'yes,no' })}`,
        {
          method: 'POST',
        },
      )
    ).body;
    await request(app, `/poll/vote${qs({ user: 'chris', polls_id: poll.polls_id, choice: 'yes' })}`, {
      method: 'POST',
    });
  }, 120_000);
  afterAll(async () => {
    db?.destroy();
    await app?.close();
    await dynamo?.stop();
  });

  const create = (fields: Record<string, unknown>): Case => ({
    name: `create ${JSON.stringify(fields).slice(0, 80)}`,
    method: 'POST',
    path: '/polls',
    json: { polls_title: 'T', username: 'u', responses: 'a,b', ...fields },
  });
  const vote = (fields: Record<string, unknown>, status = 400): Case => ({
    name: `vote ${JSON.stringify(fields).slice(0, 80)}`,
    method: 'POST',
    path: '/poll/vote',
    json: { user: 'newcomer', polls_id: poll.polls_id, choice: 'no', ...fields },
    status,
  });
  const cases = (): Case[] => [
    { name: 'create with nothing', method: 'POST', path: '/create/poll', status: 400 },
    create({ polls_title: undefined }),
    create({ polls_title: '' }),
    create({ polls_title: '   ' }),
    create({ polls_title: 'x'.repeat(201) }),
    create({ polls_title: 42 }),
    create({ polls_title: ['a'] }),
    create({ polls_title: 'bad \u0000 title' }),
    create({ polls_title: 'lone \ud800 surrogate' }),
    create({ username: '' }),
    create({ username: 'u'.repeat(65) }),
    create({ username: { $ne: null } }),
    create({ responses: undefined }),
    create({ responses: '' }),
    create({ responses: 'only' }),
    create({ responses: 'a,b,c,d,e,f,g,h,i,j,k' }),
    create({ responses: Array.from({ length: 11 }, (_, i) => `r${i}`) }),
    create({ responses: 'a,b,a' }),
    create({ responses: ['#a = :b', '#a = :b'] }),
    create({ responses: 'a,,b' }),
    create({ responses: [1, 2] }),
    create({ responses: { a: 1 } }),
    create({ responses: '["a", "b"' }),
    create({ polls_id: poll.polls_id }),
    {
      name: 'huge body',
      method: 'POST',
      path: '/polls',
      json: { polls_title: 'x'.repeat(70_000) },
      status: 413,
    },
    {
      name: 'broken JSON',
      method: 'POST',
      path: '/polls',
      body: '{"polls_title": ',
      type: 'application/json',
    },
    {
      name: 'JSON array body',
      method: 'POST',
      path: '/create/poll',
      body: '["a","b"]',
      type: 'application/json',
    },
    {
      name: 'JSON string body',
      method: 'POST',
      path: '/create/poll',
      body: '"hi"',
      type: 'application/json',
    },
    {
      name: 'text body',
      method: 'POST',
      path: '/create/poll',
      body: 'polls_title=x',
      type: 'text/plain',
      status: 415,
    },
    vote({ user: undefined }),
    vote({ user: '' }),
    vote({ user: 7 }),
    vote({ choice: undefined }),
    vote({ choice: '' }),
    vote({ choice: '#a = :b' }),
    vote({ choice: 'counts.#choice' }),
    vote({ choice: 'yes, total_votes = :one' }),
    vote({ choice: 'YES' }),
    vote({ choice: 'c'.repeat(101) }),
    vote({ polls_id: '' }),
    vote({ polls_id: 'p'.repeat(101) }),
    vote({ polls_id: 'no-such-poll' }, 404),
    vote({ polls_id: "' OR 1=1 --" }, 404),
    { name: 'vote form, no choice', method: 'POST', path: '/poll/vote', form: { user: 'x', polls_id: 'y' } },
    {
      name: 'get a vote route',
      path: `/poll/vote${qs({ user: 'x', polls_id: 'y', choice: 'z' })}`,
      status: 405,
    },
    { name: 'get create route', path: '/create/poll', status: 405 },
    { name: 'put polls', method: 'PUT', path: '/polls', json: {}, status: 405 },
    { name: 'delete a poll', method: 'DELETE', path: `/polls/${poll.polls_id}`, status: 405 },
    { name: 'patch votes', method: 'PATCH', path: `/polls/${poll.polls_id}/votes`, status: 405 },
    { name: 'titles without a title', path: '/polls' },
    { name: 'title limit 0', path: `/polls${qs({ title: 'Fixture', limit: 0 })}` },
    { name: 'results limit 101', path: `/results${qs({ limit: 101 })}` },
    { name: 'results limit abc', path: `/allresults${qs({ limit: 'abc' })}` },
    { name: 'results limit -1', path: `/results${qs({ limit: -1 })}` },
    { name: 'results limit 0x10', path: `/results${qs({ limit: '0x10' })}` },
    { name: 'results limit 1e1', path: `/allresults${qs({ limit: '1e1' })}` },
    { name: 'results limit 10.0', path: `/results${qs({ limit: '10.0' })}` },
    { name: 'garbage cursor', path: `/results${qs({ cursor: 'garbage' })}` },
    {
      name: 'cursor with a foreign key',
      path: `/results${qs({ cursor: Buffer.from('{"polls_id":{"S":"x"}}').toString('base64url') })}`,
    },
    {
      name: 'cursor of another title',
      path: `/polls${qs({
        title: 'Fixture',
        cursor: Buffer.from(
          JSON.stringify({ polls_id: 'x', polls_title: 'Other', created_at: 'y' }),
        ).toString('base64url'),
      })}`,
    },
    { name: 'results without a poll', path: '/vote/results' },
    {
      name: 'results of an unknown choice',
      path: `/vote/results${qs({ polls_id: poll.polls_id, choice: '#a' })}`,
    },
    { name: 'results of an unknown poll', path: '/polls/nope/results', status: 404 },
  ];

  it('answers every bad request with a 4xx JSON error and writes nothing', async () => {
    const before = [await count(env.POLLS_TABLE), await count(env.VOTES_TABLE)];
    expect(before).toEqual([1, 1]);
    const failures: string[] = [];
    for (const c of cases()) {
      const { status, body } = await request<ErrorBody>(app, c.path, c);
      const ok =
        (c.status ? status === c.status : status === 400) &&
        typeof body?.error === 'string' &&
        typeof body?.message === 'string';
      if (!ok) failures.push(`${c.name}: ${status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect([await count(env.POLLS_TABLE), await count(env.VOTES_TABLE)]).toEqual(before);
    const results = (await request<Poll>(app, `/polls/${poll.polls_id}/results`)).body;
    expect(results.results).toEqual([
      { choice: 'yes', votes: 1 },
      { choice: 'no', votes: 0 },
    ]);
  });

  it('takes unicode and expression-looking text as plain data', async () => {
    const responses = ['🍕 pizza', '寿司', '#a = :b', ':one', 'counts.#choice'];
    const made = await request<Poll>(app, '/polls', {
      method: 'POST',
      json: { title: 'Ünïcödé — 食べ物? 🍣', username: 'zoë', responses },
    });
    expect(made.status).toBe(201);
    expect(made.body.responses).toEqual(responses);
    for (const [i, choice] of responses.entries()) {
      const voted = await request(app, `/polls/${made.body.polls_id}/votes`, {
        method: 'POST',
        json: { user: `voter-${i}`, choice },
      });
      expect(voted.status).toBe(201);
    }
    const results = (await request<Poll>(app, `/polls/${made.body.polls_id}/results`)).body;
    expect(results.results).toEqual(responses.map((choice) => ({ choice, votes: 1 })));
    expect(results.total_votes).toBe(5);
  });
});
