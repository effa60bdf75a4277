import { OverloadedError } from '@app/errors';
import { Registry } from 'prom-client';
import { openDatabase } from '../database/database.module';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { loadRegistryConfig } from '../registry.config';
import { ChangeIndexRepository } from './change-index.repository';
import { ChangeWatchService } from './change-watch.service';

describe(ChangeWatchService.name, () => {
  let sut: ChangeWatchService;
  let index: ChangeIndexRepository;
  let answered: boolean;
  let metrics: Registry;

  /** Starts a held query at the current index and notes when it answers. */
  const hold = (waitMs: number, seen = index.current()) => {
    answered = false;
    return sut.waitPast(seen, waitMs).then(() => (answered = true));
  };

  beforeEach(() => {
    jest.useFakeTimers();
    const db = openDatabase(':memory:');
    index = new ChangeIndexRepository(db);
    metrics = new Registry();
    sut = new ChangeWatchService(
      loadRegistryConfig({ REGISTRY_MAX_HELD_QUERIES: '2' }),
      index,
      new RegistryMetrics(metrics),
    );
  });
  afterEach(() => jest.useRealTimers());

  it('holds a query until the index moves, noticed by polling the database', async () => {
    const held = hold(30_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(answered).toBe(false);
    index.bump(); // as another registry process sharing the database would
    await jest.advanceTimersByTimeAsync(100);
    await held;
    expect(answered).toBe(true);
  });

  it('counts the held queries in the registry metrics', async () => {
    const held = hold(30_000);
    expect(await metrics.getSingleMetricAsString('chirp_registry_held_watches')).toMatch(/ 1$/);
    index.bump();
    await jest.advanceTimersByTimeAsync(100);
    await held;
    expect(await metrics.getSingleMetricAsString('chirp_registry_held_watches')).toMatch(/ 0$/);
  });

  it('answers when the wait ends, within 1/16 of jitter', async () => {
    const held = hold(16_000);
    await jest.advanceTimersByTimeAsync(15_999);
    expect(answered).toBe(false);
    await jest.advanceTimersByTimeAsync(1_001);
    await held;
    expect(answered).toBe(true);
  });

  it('answers at once an index behind the registry, or ahead of it (a restored database)', async () => {
    await expect(hold(60_000, index.current() - 1)).resolves.toBe(true);
    await expect(hold(60_000, index.current() + 100)).resolves.toBe(true);
  });

  it('refuses a query past REGISTRY_MAX_HELD_QUERIES, and takes one again when a place frees', async () => {
    const first = hold(10_000);
    void hold(20_000);
    await expect(sut.waitPast(index.current(), 1_000)).rejects.toThrow(OverloadedError);
    await jest.advanceTimersByTimeAsync(11_000);
    await first;
    const third = sut.waitPast(index.current(), 1_000);
    await jest.advanceTimersByTimeAsync(1_100);
    await expect(third).resolves.toBeUndefined();
  });

  it('answers every held query at shutdown, and holds none after', async () => {
    const held = hold(60_000);
    sut.beforeApplicationShutdown();
    await held;
    expect(answered).toBe(true);
    await expect(hold(60_000)).resolves.toBe(true);
  });
});
