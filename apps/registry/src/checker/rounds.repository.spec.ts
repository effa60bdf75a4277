import { openDatabase } from '../database/database.module';
import { RoundsRepository } from './rounds.repository';

describe(RoundsRepository.name, () => {
  let sut: RoundsRepository;

  beforeEach(() => {
    sut = new RoundsRepository(openDatabase(':memory:'));
  });

  it('gives the lease to one holder until it expires', () => {
    expect(sut.tryAcquire('a', 1000, 0)).toBe(true);
    expect(sut.tryAcquire('b', 1000, 500)).toBe(false);
    expect(sut.tryAcquire('a', 1000, 500)).toBe(true); // renewal
    expect(sut.tryAcquire('b', 1000, 1499)).toBe(false);
    expect(sut.tryAcquire('b', 1000, 1500)).toBe(true);
    expect(sut.tryAcquire('a', 1000, 1600)).toBe(false);
  });

  it('frees the lease on release', () => {
    sut.tryAcquire('a', 60_000, 0);
    sut.release('a');
    expect(sut.tryAcquire('b', 1000, 1)).toBe(true);
  });

  it('extends only its own lease', () => {
    sut.tryAcquire('a', 100, 0);
    sut.extend('b', 10_000, 50);
    expect(sut.tryAcquire('b', 100, 101)).toBe(true);
  });

  it('logs rounds newest first', () => {
    const first = sut.start('a', 10);
    sut.finish(first, { checked: 2, failed: 1, pruned: 1 }, 20);
    sut.start('a', 30);
    expect(sut.recent(10)).toEqual([
      expect.objectContaining({
        started_at: '1970-01-01T00:00:00.030Z',
        finished_at: null,
        duration_ms: null,
      }),
      expect.objectContaining({
        started_at: '1970-01-01T00:00:00.010Z',
        finished_at: '1970-01-01T00:00:00.020Z',
        duration_ms: 10,
        checked: 2,
        failed: 1,
        pruned: 1,
      }),
    ]);
  });
});
