import { EchoServer, reasonOf, TestHaproxy, waitFor } from '../support';

// An instance that dies while it holds a request (SIGKILL, a crash) closes the connection unanswered.
// HAProxy sends such a request again to another instance when it is a read, and never when it is a
// write: the dead instance may have applied it, and only the client can tell whether to repeat it.
describe('HAProxy and an instance that closes requests unanswered', () => {
  let haproxy: TestHaproxy;
  let healthy: EchoServer;
  let dying: EchoServer;

  const through = (method: string) =>
    fetch(`http://127.0.0.1:${haproxy.likes}/posts/1/likes`, { method, signal: AbortSignal.timeout(5000) });
  const droppedBy = async (server: EchoServer) =>
    ((await (await fetch(`${server.url}/health-check`)).json()) as { dropped: number }).dropped;

  beforeEach(async () => {
    [haproxy, healthy, dying] = await Promise.all([
      TestHaproxy.start({ slots: 2 }),
      EchoServer.start(),
      EchoServer.start({ drop: true }),
    ]);
    for (const [slot, server] of [
      ['s1', dying],
      ['s2', healthy],
    ] as const) {
      await haproxy.command(`set server likes/${slot} addr 127.0.0.1 port ${server.port}`);
      await haproxy.command(`set server likes/${slot} state ready`);
    }
    await waitFor('both slots UP', async () => {
      const states = [...(await haproxy.servers('likes')).values()];
      return states.length === 2 && states.every((s) => s === 'UP');
    });
  });
  afterEach(async () => {
    await Promise.all([haproxy?.stop(), healthy?.stop(), dying?.stop()]);
  });

  it('answers every read from the other instance', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await through('GET'));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    for (const answer of answers) expect(((await answer.json()) as { port: number }).port).toBe(healthy.port);
    expect(await droppedBy(dying)).toBeGreaterThan(0); // the reads did reach it first
  });

  it('does not send again a write the instance dropped: its client gets a 502 or a closed connection', async () => {
    const outcomes = [];
    for (let i = 0; i < 10; i++) {
      // HAProxy answers 502, or on a kept-alive client connection closes it unanswered as the instance did.
      outcomes.push(await through('POST').then((a) => String(a.status), reasonOf));
    }
    const dropped = await droppedBy(dying);
    expect(dropped).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === '200')).toHaveLength(10 - dropped);
    const failed = outcomes.filter((o) => o !== '200');
    expect(failed).toEqual(Array(dropped).fill(expect.stringMatching(/^502$|closed/)));
  });
});
