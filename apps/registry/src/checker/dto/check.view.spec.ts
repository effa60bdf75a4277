import { toCheckView, toRoundView } from './check.view';

describe('check and round views', () => {
  it('shows a round in ISO 8601 with its duration, and a running one with nulls', () => {
    const round = {
      seq: 1,
      holder: 'a',
      epoch: 3,
      checked: 2,
      failed: 1,
      pruned: 1,
      unrouted: 0,
      withheld: 0,
      withheld_reason: null,
    };
    expect(toRoundView({ ...round, started_at: 10, finished_at: 20 })).toEqual({
      ...round,
      started_at: '1970-01-01T00:00:00.010Z',
      finished_at: '1970-01-01T00:00:00.020Z',
      duration_ms: 10,
    });
    expect(toRoundView({ ...round, started_at: 30, finished_at: null })).toMatchObject({
      finished_at: null,
      duration_ms: null,
    });
  });

  it('shows a check time in ISO 8601', () => {
    const check = {
      service_name: 'likes',
      instance_id: '127.0.0.1:1',
      url: 'http://127.0.0.1:1',
      status_code: 200,
      latency_ms: 3,
      error: null,
      passed: true,
    };
    expect(toCheckView({ ...check, checked_at: 0 })).toEqual({
      ...check,
      checked_at: '1970-01-01T00:00:00.000Z',
    });
  });
});
