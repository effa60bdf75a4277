import { OverloadedError } from '@app/errors';
import { Registry } from 'prom-client';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { loadRegistryConfig } from '../registry.config';
import type { ChangeIndex } from '../store/registry-store';
import { SqliteChangeIndex } from '../store/sqlite/sqlite-change-index';
import { sqliteStore } from '../store/sqlite/sqlite-store';
import { ChangeWatchService } from './change-watch.service';

describe(ChangeWatchService.name, () => {
  let sut: ChangeWatchService;
  let index: ChangeIndex;
  /** The same index as another registry process sharing the database sees it: its changes notify nobody here. */
  let elsewhere: ChangeIndex;
  let answered: boolean;
  let metrics: Registry;

  /** Starts a held query at `seen` (the current index by default) and notes when it answers. */
  const hold = async (waitMs: number, seen?: number) => {
    answered = false;
    const from = seen ?? (await index.current());
    return sut.waitPast(from, waitMs).then(() => (answered = true));
  };
  /** Lets started queries reach the point where they are held (reading the index is async). */
  const settle = () => jest.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    jest.useFakeTimers();
    const store = sqliteStore(':memory:');
    index = store.index;
    elsewhere = new SqliteChangeIndex(store.db);
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
    await elsewhere.bump(); // as another registry process sharing the database would
    await jest.advanceTimersByTimeAsync(100);
    await held;
    expect(answered).toBe(true);
  });

  it("answers at once when this registry's own change moves the index, without waiting for a poll", async () => {
    const held = hold(30_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(answered).toBe(false);
    await index.bump();
    await settle();
    expect(answered).toBe(true);
    await held;
  });

  it('counts the held queries in the registry metrics', async () => {
    const held = hold(30_000);
    await settle();
    expect(await metrics.getSingleMetricAsString('chirp_registry_held_watches')).toMatch(/ 1$/);
    await elsewhere.bump();
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
    await expect(hold(60_000, (await index.current()) - 1)).resolves.toBe(true);
    await expect(hold(60_000, (await index.current()) + 100)).resolves.toBe(true);
  });

  it('refuses a query past REGISTRY_MAX_HELD_QUERIES, and takes one again when a place frees', async () => {
    const first = hold(10_000);
    void hold(20_000);
    await settle();
    await expect(sut.waitPast(await index.current(), 1_000)).rejects.toThrow(OverloadedError);
    await jest.advanceTimersByTimeAsync(11_000);
    await first;
    const third = sut.waitPast(await index.current(), 1_000);
    await jest.advanceTimersByTimeAsync(1_100);
    await expect(third).resolves.toBeUndefined();
  });

  it('answers every held query at shutdown, and holds none after', async () => {
    const held = hold(60_000);
    await settle();
    expect(answered).toBe(false);
    sut.beforeApplicationShutdown();
    await held;
    expect(answered).toBe(true);
    await expect(hold(60_000)).resolves.toBe(true);
  });
});
