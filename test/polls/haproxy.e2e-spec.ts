import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { registryDbPath, startDynamoDb, type StoreProcess, TestApp, TestHaproxy, waitFor } from '../support';
import { initTables, type Page, type Poll, pollsEnv } from './polls-support';

const run = promisify(execFile);

describe('polls through HAProxy, as the README shows it', () => {
  let dynamo: StoreProcess;
  let haproxy: TestHaproxy;
  let registry: TestApp;
  const polls: TestApp[] = [];

  /** One httpie call as written in the README (`:5400` being the test HAProxy's polls port). */
  const http = async <T>(...args: string[]): Promise<T> => {
    const { stdout } = await run('http', ['--ignore-stdin', '--check-status', '--body', ...args], {
      timeout: 20_000,
    });
    return JSON.parse(stdout) as T;
  };
  const at = (path: string) => `:${haproxy.polls}${path}`;

  beforeAll(async () => {
    dynamo = await startDynamoDb();
    haproxy = await TestHaproxy.start();
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('reg'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: '1000',
    });
    const env = { ...pollsEnv(dynamo, 'haproxy'), REGISTRY_URL: registry.url };
    await initTables(env);
    for (let i = 0; i < 3; i++) polls.push(await TestApp.start('polls', env));
    await waitFor(
      'three polls instances UP in HAProxy',
      async () => [...(await haproxy.servers('polls')).values()].filter((s) => s === 'UP').length === 3,
      30_000,
    );
  }, 180_000);
  afterAll(async () => {
    await Promise.all(polls.map((p) => p.stop()));
    await registry?.stop();
    await haproxy?.stop();
    await dynamo?.stop();
  });

  it("runs the seed's calls and the resource routes, spread over every instance", async () => {
    const poll = await http<Poll>(
      'POST',
      at('/create/poll'),
      'polls_title==Italian or Mexican?',
      'username==chris',
      'responses==Italian,Mexican',
    );
    expect(poll.responses).toEqual(['Italian', 'Mexican']);
    const id = poll.polls_id;

    // The seed's forms: query strings in the URL, and httpie's JSON fields.
    expect(await http<Poll>('POST', at(`/polls?polls_id=${id}`))).toEqual(poll);
    await http('POST', at(`/poll/vote?user=chris&polls_id=${id}&choice=Italian`));
    await http('POST', at('/poll/vote'), 'user=ann', `polls_id=${id}`, 'choice=Mexican');
    expect(await http('GET', at('/vote/results'), `polls_id==${id}`, 'choice==Italian')).toMatchObject({
      choice: 'Italian',
      votes: 1,
    });
    const all = await http<Page<{ polls_id: string }>>('GET', at('/allresults'));
    expect(all.items.map((p) => p.polls_id)).toContain(id);

    // The resource routes.
    const made = await http<Poll>(
      'POST',
      at('/polls'),
      'polls_title=Italian or Mexican?',
      'username=ann',
      'responses:=["Pizza","Tacos","Both"]',
    );
    expect(await http<Poll>(at(`/polls/${made.polls_id}`))).toEqual(made);
    const byTitle = await http<Page<Poll>>(at('/polls'), 'title==Italian or Mexican?');
    expect(byTitle.items.map((p) => p.polls_id).sort()).toEqual([id, made.polls_id].sort());
    await http('POST', at(`/polls/${made.polls_id}/votes`), 'username=ann', 'choice=Both');
    expect(await http<Poll>(at(`/polls/${made.polls_id}/results`))).toMatchObject({
      total_votes: 1,
      results: [
        { choice: 'Pizza', votes: 0 },
        { choice: 'Tacos', votes: 0 },
        { choice: 'Both', votes: 1 },
      ],
    });
    expect((await http<Page<Poll>>(at('/results'), 'limit==10')).items).toHaveLength(2);
    expect(await http(at('/health-check'))).toEqual({ status: 'ok', stores: { dynamodb: 'up' } });

    // A repeat vote fails as a 409 through HAProxy too (httpie exits 4 on a 4xx).
    await expect(
      http('POST', at('/poll/vote'), 'user=ann', `polls_id=${id}`, 'choice=Italian'),
    ).rejects.toMatchObject({ code: 4 });

    const sessions = await sessionsPerServer(haproxy, 'polls');
    expect(sessions).toHaveLength(3);
    expect(sessions.every((n) => n > 0)).toBe(true);
  }, 60_000);
});

/** Requests each filled slot of `backend` has taken (HAProxy's `stot`). */
async function sessionsPerServer(haproxy: TestHaproxy, backend: string): Promise<number[]> {
  const slots = [...(await haproxy.slotStats(backend)).values()];
  return slots.filter((s) => !s.parked).map((s) => s.requests);
}
