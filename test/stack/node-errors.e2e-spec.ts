import { rawRequest, registryDbPath, TestApp } from '../support';

// What Node itself refuses, before Fastify or the app sees a request, still answers in the apps' shape.
describe("Node's own refusals, on an app's port", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('node-errors'),
    });
  });
  afterAll(() => app?.stop());

  it.each([
    ['a request that is not HTTP', 400, 'NOT HTTP AT ALL\r\n\r\n', 'Bad Request'],
    ['an HTTP/1.1 request without Host', 400, 'GET /services HTTP/1.1\r\n\r\n', 'Bad Request'],
    ['a header without a colon', 400, 'GET /services HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n', 'Bad Request'],
    [
      'headers over 16 KiB',
      431,
      `GET /services HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
      'Request Header Fields Too Large',
    ],
    [
      'an Expect it does not meet',
      417,
      'GET /services HTTP/1.1\r\nHost: a\r\nExpect: foo\r\n\r\n',
      'Expectation Failed',
    ],
  ])('answers %s with a JSON %i', async (_what, status, raw, error) => {
    const answer = await rawRequest(app.port, raw);
    expect({ ...answer, body: JSON.parse(answer.body) as unknown }).toEqual({
      status,
      type: expect.stringMatching(/^application\/json/) as string,
      body: { error, message: expect.any(String) as string },
    });
  });
});
