import type { CheckRecord } from '../../store/records';
import type { ServerStat } from '../../haproxy/server-stats';
import type { InstanceView } from '../../instances/dto/instance.view';
import { disagreement, toDashboardView } from './dashboard.view';

const instance = (port: number, status?: 'passing' | 'critical'): InstanceView =>
  ({
    id: `127.0.0.1:${port}`,
    service_name: 'likes',
    url: `http://localhost:${port}`,
    http: 'GET',
    health_path: '/health-check',
    consecutive_failures: 0,
    registered_at: '2026-01-01T00:00:00.000Z',
    last_seen: '2026-01-01T00:00:00.000Z',
    haproxy_server: null,
    ...(status && { status }),
  }) as InstanceView;
const server = (name: string, addr: string, status = 'UP'): ServerStat => ({
  backend: 'likes',
  name,
  addr,
  status,
  sessions: 1,
  rate: 2,
  requests: 3,
  connects: 1,
  reuses: 2,
  parked: addr === '127.0.0.1:1',
});
const check = (port: number, latency_ms: number, passed = true): CheckRecord => ({
  service_name: 'likes',
  instance_id: `127.0.0.1:${port}`,
  url: `http://localhost:${port}`,
  checked_at: 0,
  status_code: passed ? 200 : null,
  latency_ms,
  error: passed ? null : 'timeout',
  passed,
});
const sources = { rounds: [], haproxies: [], check_interval_ms: 1000, check_timeout_ms: 500 };

describe(toDashboardView.name, () => {
  it("puts HAProxy's view beside each instance (matched by address), with its checks oldest first", () => {
    const sut = toDashboardView({
      ...sources,
      instances: [instance(7400), instance(7401, 'critical')],
      checks: [check(7400, 3), check(7401, 9, false), check(7400, 5)],
      servers: [
        server('s1', '127.0.0.1:7400'),
        server('s2', '127.0.0.1:7401', 'DOWN'),
        server('s3', '127.0.0.1:1', 'MAINT'),
      ],
    });
    const [passing, critical] = sut.services[0].instances;
    expect(passing).toMatchObject({
      status: 'passing',
      haproxy: { server: 'likes/s1', status: 'UP', sessions: 1, rate: 2 },
      disagreement: null,
      last_check: { latency_ms: 5, passed: true },
      history: [
        { latency_ms: 3, passed: true },
        { latency_ms: 5, passed: true },
      ],
    });
    expect(critical).toMatchObject({ haproxy: { status: 'DOWN' }, disagreement: null });
    expect(sut.haproxy_only).toEqual([]);
  });

  it('reads a view without a status (before statuses existed) as passing', () => {
    const sut = toDashboardView({ ...sources, instances: [instance(7400)], checks: [], servers: [] });
    expect(sut.services[0].instances[0]).toMatchObject({ status: 'passing', last_check: null, history: [] });
  });

  it('marks disagreements, and lists filled slots the registry has no record of', () => {
    const sut = toDashboardView({
      ...sources,
      instances: [instance(7400)],
      checks: [],
      servers: [server('s1', '127.0.0.1:7400', 'DOWN'), server('s2', '127.0.0.1:7999')],
    });
    expect(sut.services[0].instances[0].disagreement).toBe('passing, but HAProxy has it DOWN');
    expect(sut.haproxy_only).toEqual([
      expect.objectContaining({
        addr: '127.0.0.1:7999',
        disagreement: expect.stringContaining('no such instance'),
      }),
    ]);
  });

  it('compares nothing when HAProxy was not read', () => {
    const sut = toDashboardView({ ...sources, instances: [instance(7400)], checks: [], servers: null });
    expect(sut).toMatchObject({ haproxy_reachable: false, haproxy_only: [] });
    expect(sut.services[0].instances[0]).toMatchObject({ haproxy: null, disagreement: null });
  });
});

describe(disagreement.name, () => {
  const up = { server: 'likes/s1', addr: '127.0.0.1:7400', status: 'UP', sessions: 0, rate: 0 };
  it.each([
    ['passing', up, null],
    ['passing', null, 'passing, but HAProxy does not route it'],
    ['passing', { ...up, status: 'MAINT' }, 'passing, but HAProxy has it MAINT'],
    ['critical', up, 'critical, but HAProxy still sends it traffic'],
    ['critical', { ...up, status: 'DOWN' }, null],
    ['critical', null, null],
  ])('%s beside %o: %s', (status, server, expected) => {
    expect(disagreement(status, server)).toBe(expected);
  });
});
