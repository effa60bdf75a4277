import { DEFAULT_CHECK, type Instance } from './instance';

/** A passing likes instance at 127.0.0.1:`port`, never checked, with `extra` over it (specs only). */
export const anInstance = (port = 1, extra: Partial<Instance> = {}): Instance => ({
  id: `127.0.0.1:${port}`,
  service_name: 'likes',
  url: `http://127.0.0.1:${port}`,
  http: 'GET',
  health_path: '/health-check',
  tags: [],
  meta: {},
  check: DEFAULT_CHECK,
  ttl: null,
  status: 'passing',
  weight: 1,
  maintenance: null,
  consecutive_failures: 0,
  consecutive_successes: 0,
  critical_since: null,
  last_output: '',
  registered_at: 0,
  last_seen: 0,
  ...extra,
});
