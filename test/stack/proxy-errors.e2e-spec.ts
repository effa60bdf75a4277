import { createServer, type Server } from 'node:net';
import { freePort, TestHaproxy, waitFor } from '../support';

describe('HAProxy with no server up', () => {
  let haproxy: TestHaproxy;

  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
  });
  afterAll(() => haproxy?.stop());

  it.each([
    ['likes', 'Redis'],
    ['polls', 'DynamoDB'],
    ['registry', 'database'],
  ] as const)('answers %s requests with a JSON 503 naming what to check', async (service, store) => {
    const response = await fetch(`http://127.0.0.1:${haproxy[service]}/health-check`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      error: 'Service Unavailable',
      message: expect.stringMatching(new RegExp(`${service}.*${store}`)),
    });
  });
});

describe("HAProxy's own errors", () => {
  let haproxy: TestHaproxy;
  let garbage: Server;

  // An instance that passes its health check and answers everything else with bytes that are not HTTP.
  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
    const port = await freePort();
    garbage = createServer((socket) =>
      socket
        .on('error', () => undefined)
        .once('data', (request: Buffer) =>
          request.toString().startsWith('GET /health-check ')
            ? socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok')
            : socket.end('not http at all\r\n\r\n'),
        ),
    ).listen(port, '127.0.0.1');
    await haproxy.command(`set server likes/s1 addr 127.0.0.1 port ${port}`);
    await haproxy.command('set server likes/s1 state ready');
    await waitFor(
      'the slot UP',
      async () => (await haproxy.servers('likes')).get(`127.0.0.1:${port}`) === 'UP',
    );
  });
  afterAll(async () => {
    garbage?.close();
    await haproxy?.stop();
  });

  it('answers an instance that breaks HTTP with a JSON 502, as the apps answer their errors', async () => {
    const response = await fetch(`http://127.0.0.1:${haproxy.likes}/top/likes?x=1`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      error: 'Bad Gateway',
      message: expect.stringContaining('not valid HTTP') as string,
    });
  });
});
