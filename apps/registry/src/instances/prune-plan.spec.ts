import { loadRegistryConfig } from '../registry.config';
import type { Instance } from './instance';
import { anInstance } from './instance.fixture';
import { planPrunes } from './prune-plan';

const failed = (port: number, failures = 1, criticalSince = 1_000, service_name = 'likes'): Instance =>
  anInstance(port, {
    service_name,
    status: 'critical',
    consecutive_failures: failures,
    critical_since: criticalSince,
  });

describe(planPrunes.name, () => {
  const policy = loadRegistryConfig({});
  const members = (counts: Record<string, number>) => (service: string) => counts[service] ?? 0;
  const ports = (instances: Instance[]) => instances.map((i) => new URL(i.url).port);

  it('prunes at the failure threshold when half a service or less fails', () => {
    const sut = planPrunes([failed(1), failed(2)], members({ likes: 4 }), policy, 1_000);
    expect(ports(sut.prune)).toEqual(['1', '2']);
    expect(sut.massFailures).toEqual([]);
  });

  it('withholds every prune of a service when more than the ratio of it fails', () => {
    const sut = planPrunes([failed(1), failed(2), failed(3)], members({ likes: 5 }), policy, 1_000);
    expect(sut.prune).toEqual([]);
    expect(sut.massFailures).toEqual([{ service_name: 'likes', failed: 3, instances: 5, withheld: 3 }]);
  });

  it('counts only prunes the threshold asked for as withheld', () => {
    const strict = { ...policy, HEALTH_FAILURES_BEFORE_PRUNE: 2 };
    const sut = planPrunes([failed(1, 2), failed(2, 1)], members({ likes: 2 }), strict, 1_000);
    expect(sut.massFailures).toEqual([{ service_name: 'likes', failed: 2, instances: 2, withheld: 1 }]);
  });

  it('never protects a service of one instance', () => {
    expect(ports(planPrunes([failed(1)], members({ likes: 1 }), policy, 1_000).prune)).toEqual(['1']);
  });

  it('judges each service on its own', () => {
    const sut = planPrunes(
      [failed(1), failed(2, 1, 1_000, 'polls'), failed(3, 1, 1_000, 'polls')],
      members({ likes: 1, polls: 3 }),
      policy,
      1_000,
    );
    expect(sut.prune.map((i) => i.service_name)).toEqual(['likes']);
    expect(sut.massFailures).toEqual([{ service_name: 'polls', failed: 2, instances: 3, withheld: 2 }]);
  });

  it('prunes an instance critical for HEALTH_DEREGISTER_CRITICAL_AFTER_MS whatever else holds', () => {
    const after = policy.HEALTH_DEREGISTER_CRITICAL_AFTER_MS;
    const sut = planPrunes([failed(1, 1, 0), failed(2, 1, 1)], members({ likes: 2 }), policy, after);
    expect(ports(sut.prune)).toEqual(['1']);
    expect(sut.massFailures).toEqual([{ service_name: 'likes', failed: 2, instances: 2, withheld: 1 }]);
  });
});
