import { Load, request, TestStack, waitFor } from '../support';

// Failure drills on the whole formation under a small bounded load (loopback only).
// Each prints its figure; the assertions are the promises the README makes.
const INTERVAL_MS = 1000;
const figures: string[] = [];
const figure = (line: string) => figures.push(line);

describe('drills', () => {
  let stack: TestStack;
  let likesUrl: string;
  let pollsUrl: string;

  const readLikes = () =>
    new Load(async () => {
      const response = await fetch(`${likesUrl}/likes?posts_id=1`, { signal: AbortSignal.timeout(5000) });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status} ${body.slice(0, 200)}`);
      return true;
    }, 4);
  const failures = (report: { failures: { reason: string }[] }) =>
    report.failures.length ? ` (${report.failures.map((f) => f.reason).join('; ')})` : '';
  const upIn = async (port: number) => (await stack.haproxy.servers('likes')).get(`127.0.0.1:${port}`);
  const registered = async (port: number) =>
    (
      await request<{ instances: { id: string }[] }>(stack.registry.url, '/services/likes/instances')
    ).body.instances.some((i) => i.id === `127.0.0.1:${port}`);

  beforeAll(async () => {
    stack = await TestStack.start({ likes: 3, polls: 2, intervalMs: INTERVAL_MS, persistent: true });
    likesUrl = `http://127.0.0.1:${stack.haproxy.likes}`;
    pollsUrl = `http://127.0.0.1:${stack.haproxy.polls}`;
  });
  afterAll(async () => {
    await stack?.stop();
    process.stdout.write(`\nDrill figures:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
  });

  it('SIGTERM of one likes instance under load fails no request', async () => {
    const load = readLikes();
    await load.for(1000);
    const victim = stack.likes.shift()!;
    await victim.stop('SIGTERM');
    await load.for(1000);
    const report = await load.stop();
    figure(`SIGTERM under load: ${report.failed} failed of ${report.ok + report.failed}${failures(report)}`);
    expect(report.failed).toBe(0);
    expect(await upIn(victim.port)).toBeUndefined();
    await stack.addLikes();
  });

  it('a rolling restart of every likes instance fails no request', async () => {
    const load = readLikes();
    const started = Date.now();
    for (const old of [...stack.likes]) {
      await old.stop('SIGTERM');
      stack.likes.splice(stack.likes.indexOf(old), 1);
      await stack.addLikes();
      await stack.waitForBackend('likes', 3);
    }
    const report = await load.stop();
    figure(
      `rolling restart of 3 likes instances (${Date.now() - started} ms): ${report.failed} failed of ${report.ok + report.failed}${failures(report)}`,
    );
    expect(report.failed).toBe(0);
  });

  it('a SIGKILLed instance loses HAProxy traffic within 3 s, fails no read and is pruned within a round', async () => {
    const load = readLikes();
    await load.for(500);
    const victim = stack.likes.shift()!;
    await victim.stop('SIGKILL');
    const killed = Date.now();
    await waitFor(
      'victim out of HAProxy rotation',
      async () => (await upIn(victim.port)) !== 'UP',
      10_000,
      20,
    );
    const outOfRotation = Date.now() - killed;
    await waitFor('victim pruned', async () => !(await registered(victim.port)), 10_000, 50);
    const pruned = Date.now() - killed;
    await load.for(500);
    const report = await load.stop();
    figure(
      `SIGKILL under load: out of HAProxy in ${outOfRotation} ms, pruned in ${pruned} ms, ${report.failed} failed of ${report.ok + report.failed}${failures(report)}`,
    );
    expect(outOfRotation).toBeLessThan(3000);
    expect(pruned).toBeLessThan(INTERVAL_MS + 1000 + 1500);
    expect(report.failed).toBe(0); // the reads in flight at the kill are sent again to another instance
    await stack.addLikes();
  });

  it('a new instance receives traffic within 1 s of registering', async () => {
    const fresh = await stack.addLikes();
    await waitFor('registered', () => registered(fresh.port), 10_000, 10);
    const at = Date.now();
    await waitFor('UP in HAProxy', async () => (await upIn(fresh.port)) === 'UP', 5000, 10);
    figure(`new instance: UP in HAProxy ${Date.now() - at} ms after its registration was visible`);
    expect(Date.now() - at).toBeLessThan(1000);
  });

  it('heals from restarts of Redis, DynamoDB Local, HAProxy and the registry without losing an acknowledged write', async () => {
    const poll = await request<{ polls_id: string }>(pollsUrl, '/polls', {
      method: 'POST',
      json: { polls_title: 'Drill', username: 'drill', responses: ['yes', 'no'] },
    });
    expect(poll.status).toBe(201);
    const pollId = poll.body.polls_id;
    const acked = { likes: [] as string[], votes: [] as string[] };
    let n = 0;
    const writes = new Load(async () => {
      const user = `drill${++n}`;
      const [like, vote] = await Promise.all([
        request(likesUrl, '/posts/2/likes', { method: 'POST', json: { username: user } }),
        request(pollsUrl, `/polls/${pollId}/votes`, {
          method: 'POST',
          json: { username: user, choice: 'yes' },
        }),
      ]);
      if (like.status < 300) acked.likes.push(user);
      if (vote.status < 300) acked.votes.push(user);
      return like.status < 300 && vote.status < 300;
    }, 2);
    const healed = async (what: string, restart: () => Promise<void>) => {
      const at = Date.now();
      await restart();
      await waitFor(
        `apps healed after ${what}`,
        async () => {
          const [l, p] = await Promise.all([
            fetch(`${likesUrl}/likes?posts_id=1`).then((r) => r.status),
            fetch(`${pollsUrl}/polls/${pollId}`).then((r) => r.status),
          ]);
          return l === 200 && p === 200;
        },
        30_000,
        100,
      );
      figure(`restart of ${what}: serving again ${Date.now() - at} ms after the restart began`);
    };
    await writes.for(500);
    await healed('Redis', () => stack.redis.restart());
    await healed('DynamoDB Local', () => stack.dynamodb.restart());
    await healed('HAProxy', async () => {
      await stack.haproxy.restart();
      await stack.waitForBackend('likes', stack.likes.length, 10_000);
    });
    await healed('the registry', async () => {
      await stack.registry.stop();
      await stack.startRegistry();
    });
    await writes.for(500);
    await writes.stop();

    const likes = await request<{ likes: number }>(likesUrl, '/posts/2/likes');
    const results = await request<{ total_votes: number }>(pollsUrl, `/polls/${pollId}/results`);
    figure(
      `writes through the restarts: ${acked.likes.length} likes and ${acked.votes.length} votes acknowledged of ${n}`,
    );
    expect(acked.likes.length).toBeGreaterThan(10);
    expect(acked.votes.length).toBeGreaterThan(10);
    // Every acknowledged like is there; a write whose answer was lost in a restart may be there too.
    expect(likes.body.likes).toBeGreaterThanOrEqual(acked.likes.length);
    expect(likes.body.likes).toBeLessThanOrEqual(n);
    for (const user of acked.likes) {
      expect((await request<{ total: number }>(likesUrl, `/users/${user}/likes`)).body.total).toBe(1);
    }
    expect(results.body.total_votes).toBeGreaterThanOrEqual(acked.votes.length);
    expect(results.body.total_votes).toBeLessThanOrEqual(n);
  });
});
