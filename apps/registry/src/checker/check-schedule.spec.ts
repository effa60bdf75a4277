import { type CheckDefinition, DEFAULT_CHECK, type Instance } from '../instances/instance';
import { anInstance } from '../instances/instance.fixture';
import { CheckSchedule } from './check-schedule';

const instance = (port: number, check: CheckDefinition = DEFAULT_CHECK, extra: Partial<Instance> = {}) =>
  anInstance(port, { check, ...extra });
const every = (interval_ms: number): CheckDefinition => ({ type: 'http', interval_ms, timeout_ms: null });
const ports = (list: Instance[]) => list.map((i) => Number(i.id.split(':')[1]));

describe(CheckSchedule.name, () => {
  let sut: CheckSchedule;
  beforeEach(() => (sut = new CheckSchedule()));

  it("checks instances on the registry's interval in full rounds only, all together", () => {
    const listed = [instance(1), instance(2)];
    expect(ports(sut.due(listed, 1_000, false))).toEqual([]);
    expect(ports(sut.due(listed, 1_000, true))).toEqual([1, 2]);
  });

  it('checks an instance on its own interval whenever that has passed, full round or not', () => {
    const fast = instance(1, every(1_000));
    const listed = [fast, instance(2)];
    expect(ports(sut.due(listed, 10_000, false))).toEqual([1]); // never probed: due at once
    sut.probed([fast], listed, 10_000);
    expect(sut.anyDue(10_500)).toBe(false);
    expect(ports(sut.due(listed, 10_500, true))).toEqual([2]);
    expect(sut.anyDue(10_900)).toBe(true); // within half a tick
    expect(ports(sut.due(listed, 10_900, false))).toEqual([1]);
  });

  it('looks at a TTL in every full round, and between them as soon as a passing one lapses', () => {
    const ttl = { status: 'passing' as const, output: '', expires_at: 5_000 };
    const listed = [instance(1, { type: 'ttl', ttl_ms: 3_000 }, { ttl })];
    expect(ports(sut.due(listed, 4_000, false))).toEqual([]);
    expect(sut.anyDue(4_000)).toBe(false);
    expect(sut.anyDue(5_000)).toBe(true);
    expect(ports(sut.due(listed, 5_000, false))).toEqual([1]);
    // Critical already: its failures are counted in full rounds, at the registry's pace.
    const critical = [{ ...listed[0], status: 'critical' as const }];
    expect(ports(sut.due(critical, 9_000, false))).toEqual([]);
    expect(ports(sut.due(critical, 9_000, true))).toEqual([1]);
  });

  it('never checks an instance in maintenance, and forgets instances no longer listed', () => {
    const held = instance(1, every(1_000), { maintenance: { reason: 'r', since: 0 } });
    expect(sut.due([held], 5_000, true)).toEqual([]);
    expect(sut.anyDue(1e12)).toBe(false);
    const fast = instance(2, every(1_000));
    sut.probed([fast], [fast], 1_000);
    sut.probed([], [], 1_500); // deregistered
    expect(ports(sut.due([fast], 1_600, false))).toEqual([2]); // a newcomer again
  });
});
