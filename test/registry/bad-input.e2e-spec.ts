import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request, type Send } from '../support';
import { listServices, startRegistry } from './registry-support';

/** A request of the table: where it goes and what it sends. */
type Call = Send & { url: string };

/** `POST /services` with a valid registration changed by `fields` (undefined drops a field). */
const register = (fields: Record<string, unknown>): Call => ({
  method: 'POST',
  url: '/services',
  json: { service_name: 'likes', url: 'http://127.0.0.1:1', ...fields },
});
const raw = (json: string): Call => ({
  method: 'POST',
  url: '/services',
  body: json,
  type: 'application/json',
});
/** A valid registration as a form, sent as `type`. */
const typed = (type: string): Call => ({
  method: 'POST',
  url: '/services',
  form: 'service_name=likes&url=http://127.0.0.1:1',
  type,
});

const badInput: [string, Call, number][] = [
  ['no fields', raw('{}'), 400],
  ['no url', register({ url: undefined }), 400],
  ['number as name', register({ service_name: 42 }), 400],
  ['array body', raw('[1,2]'), 400],
  ['string body', raw('"likes"'), 400],
  ['broken JSON', raw('{"service_name":'), 400],
  ['oversized body', register({ pad: 'x'.repeat(100_000) }), 413],
  ['a text/plain body', typed('text/plain'), 415],
  ['an XML body', typed('application/xml'), 415],
  ['not a URL', register({ url: 'not a url' }), 400],
  ['ftp URL', register({ url: 'ftp://127.0.0.1:21' }), 400],
  ['file URL', register({ url: 'file:///etc/passwd' }), 400],
  ['credentials', register({ url: 'http://u:p@127.0.0.1:1' }), 400],
  ['URL with a path', register({ url: 'http://127.0.0.1:1/admin' }), 400],
  ['public host', register({ url: 'http://example.com' }), 400],
  ['private host', register({ url: 'http://10.0.0.1:80' }), 400],
  ['metadata host', register({ url: 'http://169.254.169.254' }), 400],
  ['loopback look-alike', register({ url: 'http://127.0.0.1.example.com' }), 400],
  ['health path as URL', register({ health_path: 'http://example.com/' }), 400],
  ['protocol-relative path', register({ health_path: '//example.com/x' }), 400],
  ['bad method', register({ http: 'DELETE' }), 400],
  ['odd unicode name', register({ service_name: 'lïkes\u202e' }), 400],
  ['name with spaces', register({ service_name: 'likes; drop table' }), 400],
  ['huge name', register({ service_name: 'a'.repeat(64) }), 400],
  ['only quotes as name', register({ service_name: '””' }), 400],
  ['form without fields', { method: 'POST', url: '/new/service', form: 'x=1' }, 400],
  [
    'status code out of range',
    {
      method: 'POST',
      url: '/urls/healths',
      json: { service_name: 'likes', url: 'http://127.0.0.1:7401', status_code: 42 },
    },
    400,
  ],
  ['port 0', register({ url: 'http://127.0.0.1:0' }), 400],
  // Integers are decimal digits or JSON numbers, nothing Number() would also take.
  ...[[[200]], ['200'], '0xC8', '2e2', '200.0', true].map((status_code): [string, Call, number] => [
    `status code ${JSON.stringify(status_code)}`,
    {
      method: 'POST',
      url: '/urls/healths',
      json: { service_name: 'likes', url: 'http://127.0.0.1:7401', status_code },
    },
    400,
  ]),
  ...['0x10', '1e1', '10.0', '+5'].flatMap((limit): [string, Call, number][] => [
    [
      `history limit ${limit}`,
      { method: 'GET', url: `/services/likes/health?limit=${encodeURIComponent(limit)}` },
      400,
    ],
    [`rounds limit ${limit}`, { method: 'GET', url: `/rounds?limit=${encodeURIComponent(limit)}` }, 400],
  ]),
  ['bad history limit', { method: 'GET', url: '/services/likes/health?limit=-1' }, 400],
  ['wrong method', { method: 'PUT', url: '/services' }, 405],
  // The router's limit on a path parameter, which the documents declare.
  ['an id over 100 characters', { method: 'GET', url: `/services/likes/instances/${'a'.repeat(101)}` }, 414],
  // Past that limit a Consul read falls to the /v1 catch-all, which gave a 405 ("GET is not served").
  [
    'a Consul service name over 100 characters',
    { method: 'GET', url: `/v1/health/service/${'a'.repeat(101)}` },
    414,
  ],
];

describe('registry API bad input', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRegistry();
  });
  afterAll(() => app.close());

  it.each(badInput)(
    'refuses %s with a JSON 4xx and stores nothing',
    async (_name, { url, ...send }, status) => {
      const before = await listServices(app);
      const response = await request(app, url, send);
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error: expect.any(String), message: expect.any(String) });
      expect(await listServices(app)).toEqual(before);
    },
  );
});
