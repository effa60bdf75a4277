import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type Redis from 'ioredis';
import { request, startRedis, type StoreProcess } from '../support';
import { initPostsDb, redisClient, snapshot, startLikesInProcess } from './likes-support';

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const q = (value: string) => encodeURIComponent(value);

const badUsernames = [
  '',
  ' ',
  'a'.repeat(33),
  'a'.repeat(5000),
  'Jöhn',
  '😀',
  'John\u0000',
  'Jo hn',
  '-John',
  "John'; DROP TABLE posts;--",
  'John" OR "1"="1',
  '*',
  'John:*',
  '{tag}',
  '../etc/passwd',
  '$(rm -rf /)',
  '<script>alert(1)</script>',
  'John\r\nSET x 1',
];
const badPostIds = [
  '',
  '0',
  '-1',
  '1.5',
  '1e3',
  'abc',
  '9'.repeat(13),
  '1; DROP TABLE posts',
  'null',
  '0x10',
  '１',
];

/** [method, path, body?, headers?]: every one must be a 4xx with `{error, message}` and write nothing. */
const corpus: [string, string, unknown?, Record<string, string>?][] = [
  ['POST', '/new/likes'],
  ['POST', '/new/likes?posts_id=1'],
  ['POST', '/new/likes?username=John'],
  ['POST', '/new/likes?username=John&username=Jane&posts_id=1'],
  ['POST', '/new/likes?username=John&posts_id=1&posts_id=2'],
  ...badUsernames.map((u): [string, string] => ['POST', `/new/likes?username=${q(u)}&posts_id=1`]),
  ...badPostIds.map((p): [string, string] => ['POST', `/new/likes?username=John&posts_id=${q(p)}`]),
  ...badUsernames.map((u): [string, string, unknown] => ['POST', '/posts/1/likes', { username: u }]),
  ...badPostIds
    .filter(Boolean)
    .map((p): [string, string, unknown] => ['POST', `/posts/${q(p)}/likes`, { username: 'John' }]),
  ['POST', '/posts/1/likes', {}],
  ['POST', '/posts/1/likes', { username: null }],
  ['POST', '/posts/1/likes', { username: ['John'] }],
  ['POST', '/posts/1/likes', { username: { $gt: '' } }],
  ['POST', '/posts/1/likes', { username: 42.5 }],
  ['POST', '/new/likes', { username: 'John', posts_id: true }],
  ['POST', '/new/likes', { username: 'John', posts_id: 1.5 }],
  ['POST', '/new/likes', { username: 'John', posts_id: -1 }],
  ['POST', '/new/likes', { username: 'John', posts_id: 1e21 }],
  ['POST', '/new/likes', { username: 'John', posts_id: [1] }],
  ['POST', '/new/likes', '{"username": "John", "posts_id": 1', json],
  ['POST', '/new/likes', '{"username": "John", posts_id: 1}', json],
  ['POST', '/new/likes', '[{"username": "John", "posts_id": 1}]', json],
  ['POST', '/new/likes', '"John"', json],
  ['POST', '/new/likes', 'null', json],
  ['POST', '/new/likes', '42', json],
  ['POST', '/new/likes', `{"username": "John", "posts_id": 1, "pad": "${'x'.repeat(70_000)}"}`, json],
  ['POST', '/new/likes', 'username=John&posts_id=1', { 'content-type': 'text/plain' }],
  ['POST', '/new/likes', 'username=%%%&posts_id=1', form],
  ['POST', '/new/likes', 'username=John&posts_id=0', form],
  ['POST', '/posts/1/likes', 'username=', form],
  ['POST', '/new/likes', 'username=John&username=Jane&posts_id=1', form],
  ['POST', '/posts/1/likes', 'username=John&username=John', form],
  ['PUT', '/new/likes?username=John&posts_id=1'],
  ['PATCH', '/posts/1/likes', { username: 'John' }],
  ['GET', '/new/likes?username=John&posts_id=1'],
  ['DELETE', '/likes?posts_id=1'],
  ['POST', '/likes/top'],
  ['PUT', '/posts/1/likes/John'],
  ['DELETE', '/posts/1/likes'],
  ['DELETE', '/posts/abc/likes/John'],
  ['DELETE', `/posts/1/likes/${q('Jöhn')}`],
  ['DELETE', `/posts/1/likes/${'a'.repeat(300)}`],
  ['DELETE', '/posts/1/likes/nobody'],
  ['GET', '/likes'],
  ['GET', '/likes?posts_id=abc'],
  ['GET', '/likes?posts_id=99999'],
  ['GET', '/posts/0/likes'],
  ['GET', '/user/likes'],
  ['GET', `/user/likes?username=${q("' OR 1=1 --")}`],
  ['GET', `/users/${'b'.repeat(40)}/likes`],
  ['GET', '/users/John/likes?limit=0'],
  ['GET', '/users/John/likes?limit=1000'],
  ['GET', '/users/John/likes?cursor=garbage'],
  ['GET', '/users/John/likes?cursor=1.0'],
  ['GET', '/likes/top?limit=0'],
  ['GET', '/likes/top?limit=-1'],
  ['GET', '/likes/top?limit=abc'],
  ['GET', '/likes/top?limit=1.5'],
  ['GET', '/top/likes?limit=101'],
  ['GET', '/top/likes?limit=0x10'],
  ['GET', '/top/likes?limit=1e1'],
  ['GET', '/users/John/likes?limit=10.0'],
  ['GET', '/likes/top', { limit: ['5'] }],
  ['GET', '/nowhere'],
];

// Real servers start in beforeAll; give them time on a slow machine.
jest.setTimeout(60_000);

describe('likes bad input (in-process, real Redis and SQLite)', () => {
  let redis: StoreProcess;
  let app: NestFastifyApplication;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    app = await startLikesInProcess(redis, initPostsDb(redis));
    client = redisClient(redis);
    // Something to protect: any write by a bad request would show in the snapshot.
    for (const user of ['John', 'Jane']) {
      expect(
        (await request(app, '/posts/1/likes', { method: 'POST', json: { username: user } })).status,
      ).toBe(201);
    }
  });
  afterAll(async () => {
    client?.disconnect();
    await app?.close();
    await redis?.stop();
  });

  it(`answers each of ${corpus.length} bad requests with a 4xx JSON error and changes nothing`, async () => {
    const before = await snapshot(client);
    const failures: string[] = [];
    for (const [method, path, body, headers] of corpus) {
      // A string is sent as it is (as JSON unless the case says otherwise), anything else as JSON.
      const send = typeof body === 'string' ? { body, type: 'application/json' } : { json: body };
      const answer = await request(app, path, { method, ...send, headers });
      const { error, message } = answer.body;
      const shaped = typeof error === 'string' && typeof message === 'string' && message.length > 0;
      if (answer.status < 400 || answer.status >= 500 || !shaped) {
        failures.push(
          `${method} ${path.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 80)} -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(client)).toEqual(before);
  });

  it('names the bad field in a 400', async () => {
    const answer = await request(app, '/new/likes?username=John&posts_id=abc', { method: 'POST' });
    expect(answer).toEqual(
      expect.objectContaining({
        status: 400,
        body: { error: 'Bad Request', message: 'posts_id: must be a positive integer post id' },
      }),
    );
    expect((await request(app, '/posts/1/likes', { method: 'POST', json: {} })).body.message).toBe(
      'username: is required',
    );
  });

  it('is still healthy afterwards', async () => {
    expect((await request(app, '/health-check')).status).toBe(200);
  });
});
