import type { CheckRecord } from '../../store/records';
import { type CheckView, type RoundView, toCheckView } from '../../checker/dto/check.view';
import type { TargetStatus } from '../../haproxy/haproxy-target';
import type { ServerStat } from '../../haproxy/server-stats';
import type { InstanceView } from '../../instances/dto/instance.view';
import { instanceAddress } from '../../instances/instance';

/** HAProxy's view of one server: its state, current sessions and requests in the last second. */
export type HaproxyServerView = Pick<ServerStat, 'status' | 'sessions' | 'rate'> & {
  server: string;
  addr: string;
};

/** One instance on the dashboard: the registry's record beside HAProxy's view of the same server. */
export type DashboardInstance = InstanceView & {
  haproxy: HaproxyServerView | null;
  /** Why the registry and HAProxy disagree about it, or null when they agree (or HAProxy is not read). */
  disagreement: string | null;
  last_check: Omit<CheckView, 'service_name' | 'instance_id' | 'url'> | null;
  /** The latest checks' latencies (ms) and results, oldest first. */
  history: Pick<CheckRecord, 'latency_ms' | 'passed'>[];
};

/** What `GET /ui/state` answers: every service's instances, HAProxy's strays and the latest rounds. */
export interface DashboardView {
  /** False when HAProxy updates are off or its Runtime API does not answer. */
  haproxy_reachable: boolean;
  services: { name: string; instances: DashboardInstance[] }[];
  /** Filled HAProxy slots that carry no registered instance (a drain in progress, or a stray). */
  haproxy_only: (HaproxyServerView & { backend: string; disagreement: string | null })[];
  rounds: RoundView[];
  /** Every HAProxy the registry drives: its applied change index, its lag and its last error. */
  haproxies: TargetStatus[];
  /** The checker's settings the rounds are read against. */
  check_interval_ms: number;
  check_timeout_ms: number;
}

/** What the dashboard's view is made from. */
export interface DashboardSources {
  instances: InstanceView[];
  checks: CheckRecord[];
  servers: ServerStat[] | null;
  rounds: RoundView[];
  haproxies: TargetStatus[];
  check_interval_ms: number;
  check_timeout_ms: number;
}

const serverView = (s: ServerStat): HaproxyServerView => ({
  server: `${s.backend}/${s.name}`,
  addr: s.addr,
  status: s.status,
  sessions: s.sessions,
  rate: s.rate,
});

const lastCheck = (check: CheckRecord) => {
  const { checked_at, status_code, latency_ms, error, passed } = toCheckView(check);
  return { checked_at, status_code, latency_ms, error, passed };
};

/** Why a registry status and HAProxy's view of the same instance disagree; null when they agree. */
export function disagreement(status: string, server: HaproxyServerView | null): string | null {
  if (status === 'passing' && !server) return 'passing, but HAProxy does not route it';
  if (status === 'passing' && server!.status !== 'UP') return `passing, but HAProxy has it ${server!.status}`;
  if (status !== 'passing' && server?.status === 'UP') return `${status}, but HAProxy still sends it traffic`;
  return null;
}

/** Joins the registry's instances, their checks and HAProxy's servers (matched by backend and address). */
export function toDashboardView(sources: DashboardSources): DashboardView {
  const filled = (sources.servers ?? []).filter((s) => !s.parked);
  const byAddress = new Map(filled.map((s) => [`${s.backend}/${s.addr}`, s]));
  const matched = new Set<ServerStat>();
  const checksOf = new Map<string, CheckRecord[]>();
  for (const check of sources.checks) {
    const key = `${check.service_name}/${check.instance_id}`;
    checksOf.set(key, [...(checksOf.get(key) ?? []), check]);
  }
  const services = new Map<string, DashboardInstance[]>();
  for (const instance of sources.instances) {
    const { host, port } = instanceAddress(instance.url);
    const stat = byAddress.get(`${instance.service_name}/${host}:${port}`);
    if (stat) matched.add(stat);
    const haproxy = stat ? serverView(stat) : null;
    // Before issue 11's statuses every listed instance was passing.
    const status = (instance.status as string | undefined) ?? 'passing';
    const checks = checksOf.get(`${instance.service_name}/${instance.id}`) ?? [];
    const last = checks.at(-1);
    const row: DashboardInstance = {
      ...instance,
      status: status as InstanceView['status'],
      haproxy,
      disagreement: sources.servers ? disagreement(status, haproxy) : null,
      last_check: last ? lastCheck(last) : null,
      history: checks.map(({ latency_ms, passed }) => ({ latency_ms, passed })),
    };
    services.set(instance.service_name, [...(services.get(instance.service_name) ?? []), row]);
  }
  return {
    haproxy_reachable: sources.servers !== null,
    services: [...services].map(([name, instances]) => ({ name, instances })),
    haproxy_only: filled
      .filter((s) => !matched.has(s))
      .map((s) => ({
        ...serverView(s),
        backend: s.backend,
        disagreement:
          s.status === 'UP' ? 'HAProxy sends it traffic, but the registry has no such instance' : null,
      })),
    rounds: sources.rounds,
    haproxies: sources.haproxies,
    check_interval_ms: sources.check_interval_ms,
    check_timeout_ms: sources.check_timeout_ms,
  };
}
