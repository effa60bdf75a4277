import { openDatabase } from '../database/database.module';
import { loadRegistryConfig } from '../registry.config';
import { ChangeIndexRepository } from '../watch/change-index.repository';
import type { Registration } from './instance';
import { type CheckOutcome, InstancesRepository } from './instances.repository';

const likes = (port: number): Registration => ({
  service_name: 'likes',
  url: `http://127.0.0.1:${port}`,
  http: 'GET',
  health_path: '/health-check',
  tags: [],
  meta: {},
});
const outcome = (port: number, passed: boolean): CheckOutcome => ({
  output: passed ? 'HTTP GET: 200 OK' : 'HTTP GET: ECONNREFUSED',
  service_name: 'likes',
  id: `127.0.0.1:${port}`,
  passed,
});

const policy = loadRegistryConfig({ HEALTH_FAILURES_BEFORE_PRUNE: '3' });

describe(InstancesRepository.name, () => {
  let sut: InstancesRepository;
  let index: ChangeIndexRepository;

  beforeEach(() => {
    const db = openDatabase(':memory:');
    index = new ChangeIndexRepository(db);
    sut = new InstancesRepository(db, index);
  });

  /** How much `change` moved the change index. */
  const bumps = (change: () => unknown) => {
    const before = index.current();
    change();
    return index.current() - before;
  };

  it('bumps the change index on every registration and removal', () => {
    expect(bumps(() => sut.upsert(likes(1)))).toBe(1);
    expect(bumps(() => sut.upsert(likes(1)))).toBe(1);
    expect(bumps(() => sut.remove('likes', '127.0.0.1:1'))).toBe(1);
    expect(bumps(() => sut.remove('likes', '127.0.0.1:1'))).toBe(0);
  });

  it('bumps it once for a round that changes a status or prunes, never for one that changes nothing', () => {
    sut.upsert(likes(1));
    sut.upsert(likes(2));
    const probedAt = Date.now() + 1;
    expect(bumps(() => sut.applyRound([outcome(1, true), outcome(2, true)], policy, probedAt))).toBe(0);
    expect(bumps(() => sut.applyRound([outcome(1, false), outcome(2, false)], policy, probedAt))).toBe(1);
    expect(bumps(() => sut.applyRound([outcome(1, false), outcome(2, false)], policy, probedAt))).toBe(0);
    expect(bumps(() => sut.applyRound([outcome(1, true)], policy, probedAt))).toBe(1);
    expect(bumps(() => sut.applyRound([outcome(2, false)], policy, probedAt))).toBe(1);
    expect(sut.all().map((i) => i.id)).toEqual(['127.0.0.1:1']);
  });

  it('bumps it when a recheck turns a critical instance passing, not when it stays critical', () => {
    sut.upsert(likes(1));
    const probedAt = Date.now() + 1;
    expect(bumps(() => sut.applyRound([outcome(1, false)], policy, probedAt))).toBe(1);
    expect(bumps(() => sut.applyRecheck([outcome(1, false)], 1, probedAt))).toBe(0);
    expect(bumps(() => sut.applyRecheck([outcome(1, true)], 1, probedAt))).toBe(1);
    expect(sut.find('likes', '127.0.0.1:1')?.status).toBe('passing');
  });
});
