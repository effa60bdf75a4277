/** A server in an HAProxy backend, as `show servers state` lists it. */
export interface BackendServer {
  backend: string;
  name: string;
  address: string;
  port: number;
}

/** A server the registry wants in a backend: the instance's id (its server name) and address. */
export interface DesiredServer {
  backend: string;
  name: string;
  host: string;
  port: number;
}

/** What a reconcile does: servers to add and servers to remove. */
export interface ReconcilePlan {
  add: DesiredServer[];
  remove: BackendServer[];
}

/** Parses `show servers state` (format 1: a version line, a `#` header, then one row per server). */
export function parseServersState(text: string): BackendServer[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.find((l) => l.startsWith('# '));
  if (!header) return [];
  const columns = header.slice(2).trim().split(/\s+/);
  const at = (name: string) => columns.indexOf(name);
  return lines
    .filter((l) => !l.startsWith('#') && l.includes(' '))
    .map((l) => l.trim().split(/\s+/))
    .map((f) => ({
      backend: f[at('be_name')],
      name: f[at('srv_name')],
      address: f[at('srv_addr')],
      port: Number(f[at('srv_port')]),
    }));
}

/** Parses `show backend`: one backend name a line after a `# name` header. */
export function parseBackends(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Parses `show stat -1 4 -1` into current sessions per `backend/server`. */
export function parseSessions(csv: string): Map<string, number> {
  const sessions = new Map<string, number>();
  for (const line of csv.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [backend, server, , , scur] = line.split(',');
    sessions.set(`${backend}/${server}`, Number(scur) || 0);
  }
  return sessions;
}

/**
 * Compares HAProxy's servers with the registry's: adds what is missing, removes what the registry
 * no longer has (or has at another address). Backends HAProxy does not have are left alone.
 */
export function planReconcile(
  backends: string[],
  actual: BackendServer[],
  desired: DesiredServer[],
): ReconcilePlan {
  const known = new Set(backends);
  const key = (backend: string, name: string, host: string, port: number) =>
    `${backend}/${name}@${host}:${port}`;
  const wanted = new Set(desired.map((d) => key(d.backend, d.name, d.host, d.port)));
  const present = new Set(actual.map((a) => key(a.backend, a.name, a.address, a.port)));
  return {
    add: desired.filter((d) => known.has(d.backend) && !present.has(key(d.backend, d.name, d.host, d.port))),
    remove: actual.filter(
      (a) => known.has(a.backend) && !wanted.has(key(a.backend, a.name, a.address, a.port)),
    ),
  };
}
