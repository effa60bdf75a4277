import { reasonOf, request, startRegistryBehindHaproxy, type TestApp, type TestHaproxy } from '../support';

const TRIES = 10;
const REFUSED = {
  error: 'Payload Too Large',
  message: 'The body is larger than the limit of 64 KiB (65536 bytes)',
};

// A server that answers 413 and closes while the client is still sending makes the client's next
// writes meet a reset, which often destroys the unread answer: the client sees EPIPE or ECONNRESET,
// never the 413. Every try here must read its 413.
describe('an oversized body, sent whole', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;

  beforeAll(async () => {
    ({ haproxy, registry } = await startRegistryBehindHaproxy());
  });
  afterAll(async () => {
    await registry?.stop();
    await haproxy?.stop();
  });

  /** What a client reads back for a registration padded to `size` bytes: `status body`, or why it failed. */
  async function send(base: string, size: number, chunked: boolean): Promise<string> {
    const json = JSON.stringify({
      service_name: 'likes',
      url: 'http://127.0.0.1:7999',
      pad: 'x'.repeat(size),
    });
    try {
      const response = await fetch(`${base}/services`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A stream has no length: fetch sends it chunked.
        body: chunked ? new Blob([json]).stream() : json,
        ...(chunked && { duplex: 'half' }),
        signal: AbortSignal.timeout(30_000),
      });
      return `${response.status} ${await response.text()}`;
    } catch (error) {
      return `failed: ${reasonOf(error)}`;
    }
  }

  const paths = {
    directly: () => registry.url,
    'through HAProxy': () => `http://127.0.0.1:${haproxy.registry}`,
  };

  it.each([
    ['directly', 100_000, false],
    ['directly', 1_000_000, false],
    ['directly', 10_000_000, false],
    ['directly', 1_000_000, true],
    ['through HAProxy', 100_000, false],
    ['through HAProxy', 1_000_000, false],
    ['through HAProxy', 10_000_000, false],
    ['through HAProxy', 1_000_000, true],
  ] as const)('gets its 413 every time, %s, %d bytes (chunked: %s)', async (how, size, chunked) => {
    const answers: string[] = [];
    for (let i = 0; i < TRIES; i++) answers.push(await send(paths[how](), size, chunked));
    expect(answers).toEqual(Array<string>(TRIES).fill(`413 ${JSON.stringify(REFUSED)}`));
  });

  it('registers nothing, and the registry goes on answering', async () => {
    const { status, body } = await request(registry.url, '/services/likes/instances');
    expect({ status, body }).toEqual({ status: 200, body: { service_name: 'likes', instances: [] } });
  });
});
