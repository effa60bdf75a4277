import { PARKED } from './slots';

/** One server slot as HAProxy's `show stat` reports it (its view of the server, beside the registry's). */
export interface ServerStat {
  backend: string;
  /** The slot's server name, e.g. `s3`. */
  name: string;
  /** `host:port`; a parked slot carries {@link PARKED}'s. */
  addr: string;
  /**
   * The first word of HAProxy's status (UP, DOWN, MAINT, DRAIN, NOLB), or `no check`: up, with
   * HAProxy's own check off (TCP and TTL instances, whose state the registry sets).
   */
  status: string;
  /** Current sessions (`scur`). */
  sessions: number;
  /** Sessions (one a request, as connections are reused) in the last second (`rate`). */
  rate: number;
  /** Requests since HAProxy started (`stot`), new connections (`connect`) and reused ones (`reuse`). */
  requests: number;
  connects: number;
  reuses: number;
  /** A free slot: it carries the parked address (HAProxy reports it even in maintenance). */
  parked: boolean;
}

const PARKED_ADDR = `${PARKED.host}:${PARKED.port}`;

/** Parses `show stat -1 4 -1` (the servers of every backend, CSV with a `# ` header) by column name. */
export function parseServerStats(csv: string): ServerStat[] {
  const [header = '', ...rows] = csv.split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const at = new Map(columns.map((name, i) => [name, i]));
  return rows
    .filter((row) => row.trim() !== '' && !row.startsWith('#'))
    .map((row) => {
      const fields = row.split(',');
      const text = (name: string) => fields[at.get(name) ?? -1] ?? '';
      const number = (name: string) => Number(text(name)) || 0;
      return {
        backend: text('pxname'),
        name: text('svname'),
        addr: text('addr'),
        status: text('status').startsWith('no check') ? 'no check' : text('status').split(' ')[0],
        sessions: number('scur'),
        rate: number('rate'),
        requests: number('stot'),
        connects: number('connect'),
        reuses: number('reuse'),
        parked: text('addr') === PARKED_ADDR,
      };
    })
    .filter((server) => server.backend && server.name);
}
