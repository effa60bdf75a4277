import { z } from 'zod';
import type { CheckRecord } from '../../store/records';
import { checkView, roundView, type RoundView, toCheckView } from '../../checker/dto/check.view';
import { type TargetStatus, targetStatusView } from '../../haproxy/dto/target-status.view';
import type { ServerStat } from '../../haproxy/server-stats';
import { instanceView, type InstanceView } from '../../instances/dto/instance.view';
import { instanceAddress } from '../../instances/instance';

const serverView = z.object({
  server: z.string().meta({ description: '`backend/slot`' }),
  addr: z.string(),
  status: z.string().meta({
    description: "HAProxy's status: UP, DOWN, MAINT, DRAIN, NOLB, or `no check` (up; the registry checks it)",
  }),
  sessions: z.number().int().min(0),
  rate: z.number().int().min(0).meta({ description: 'Sessions in the last second' }),
});
/** HAProxy's view of one server: its state, current sessions and requests in the last second. */
export type HaproxyServerView = z.infer<typeof serverView>;

/** One instance on the dashboard: the registry's record beside HAProxy's view of the same server. */
const dashboardInstance = instanceView.extend({
  haproxy: serverView.nullable(),
  disagreement: z
    .string()
    .nullable()
    .meta({ description: 'Why the registry and HAProxy disagree about it; null when they agree' }),
  last_check: checkView.omit({ service_name: true, instance_id: true, url: true }).nullable(),
  history: z
    .array(checkView.pick({ latency_ms: true, passed: true }))
    .meta({ description: 'The latest checks, oldest first' }),
});
export type DashboardInstance = z.infer<typeof dashboardInstance>;

/** What `GET /ui/state` answers: every service's instances, HAProxy's strays and the latest rounds. */
export const dashboardView = z
  .object({
    haproxy_reachable: z
      .boolean()
      .meta({ description: 'False when HAProxy updates are off or its Runtime API does not answer' }),
    services: z.array(z.object({ name: z.string(), instances: z.array(dashboardInstance) })),
    haproxy_only: z
      .array(serverView.extend({ backend: z.string(), disagreement: z.string().nullable() }))
      .meta({ description: 'Filled HAProxy slots that carry no registered instance' }),
    rounds: z.array(roundView),
    haproxies: z.array(targetStatusView),
    check_interval_ms: z.number().int().positive(),
    check_timeout_ms: z.number().int().positive(),
  })
  .meta({ id: 'Dashboard', description: "The dashboard's state: the registry beside HAProxy." });
export type DashboardView = z.infer<typeof dashboardView>;

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

const toServerView = (s: ServerStat): HaproxyServerView => ({
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

/**
 * Why a registry status and HAProxy's view of the same instance disagree; null when they agree. One in
 * maintenance is out of traffic whatever its status (HAProxy has it DRAIN, then MAINT).
 */
export function disagreement(
  status: string,
  server: HaproxyServerView | null,
  inMaintenance = false,
): string | null {
  if (inMaintenance) {
    return server?.status === 'UP' ? 'in maintenance, but HAProxy still sends it traffic' : null;
  }
  if (status === 'passing' && !server) return 'passing, but HAProxy does not route it';
  const up = server !== null && (server.status === 'UP' || server.status === 'no check');
  if (status === 'passing' && !up) return `passing, but HAProxy has it ${server!.status}`;
  if (status !== 'passing' && up) return `${status}, but HAProxy still sends it traffic`;
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
    const haproxy = stat ? toServerView(stat) : null;
    // Before issue 11's statuses every listed instance was passing.
    const status = (instance.status as string | undefined) ?? 'passing';
    const checks = checksOf.get(`${instance.service_name}/${instance.id}`) ?? [];
    const last = checks.at(-1);
    const row: DashboardInstance = {
      ...instance,
      status: status as InstanceView['status'],
      haproxy,
      disagreement: sources.servers ? disagreement(status, haproxy, Boolean(instance.maintenance)) : null,
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
        ...toServerView(s),
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
