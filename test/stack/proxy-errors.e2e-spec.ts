import { TestHaproxy } from '../support';

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
