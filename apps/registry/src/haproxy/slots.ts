/**
 * HAProxy's view of the registry-managed servers. Each backend in haproxy.cfg declares a fixed set of
 * server-template slots (s1..sN) parked in maintenance at {@link PARKED}; the registry fills a slot
 * with an instance's address and empties it again. Slots are config servers, so HAProxy keeps idle
 * backend connections for them (2.6 never reuses a connection to a server added with `add server`).
 */

/** The address a free slot carries, as in haproxy.cfg's server-template lines. */
export const PARKED = { host: '127.0.0.1', port: 1 } as const;

/** One server slot of a backend, as `show servers state` lists it. */
export interface Slot {
  backend: string;
  /** The slot's server name, e.g. `s3`. */
  name: string;
  host: string;
  port: number;
  admin: 'ready' | 'drain' | 'maint';
  /** Its user weight (`set server ... weight`). */
  weight: number;
  /** Whether HAProxy runs its own check on it (`enable`/`disable health`). */
  checked: boolean;
  /** Whether HAProxy has it up (its operational state is running). */
  up: boolean;
}

/**
 * A server the registry keeps in HAProxy: an instance (its id) of the service named like the backend.
 * One that is not `routable` (critical) keeps the slot it has, as HAProxy's own check left it (down,
 * so out of traffic, and up again the moment it answers), but is never given a slot or made ready.
 * One an operator put in maintenance is `hold` in its slot: `drain` first (its requests finish), then
 * `maint` (HAProxy stops checking it); it is never given a slot either. One that is not
 * `selfChecked` (a TCP or TTL check, which the backend's HTTP check cannot stand in for) has HAProxy's
 * check disabled and is forced up or down as the registry's status says.
 */
export interface WantedServer {
  backend: string;
  id: string;
  host: string;
  port: number;
  routable: boolean;
  selfChecked: boolean;
  weight: number;
  hold: 'drain' | 'maint' | null;
}

/** What one sync does, and what it finds. */
export interface SlotPlan {
  /** Every wanted server that has a slot after the plan is applied: `backend/id` → slot. */
  held: Map<string, Slot>;
  /** Slots given to wanted servers that had none. */
  fill: { slot: Slot; server: WantedServer }[];
  /** Slots that hold a wanted server but are not taking traffic. */
  ready: Slot[];
  /** Slots to hold out of traffic (maintenance), in the state each should reach. */
  hold: { slot: Slot; state: 'drain' | 'maint' }[];
  /** Slots whose weight differs from their server's. */
  weigh: { slot: Slot; weight: number }[];
  /** Slots whose HAProxy check must be turned on or off. */
  checks: { slot: Slot; enable: boolean }[];
  /** Slots without HAProxy's check to force up or down, as the registry's status says. */
  health: { slot: Slot; up: boolean }[];
  /** Slots holding what nobody wants any more. */
  empty: Slot[];
  /** Routable servers whose backend has no free slot. */
  unrouted: WantedServer[];
}

// srv_admin_state bits (HAProxy's enum srv_admin): forced, inherited, resolver and hostname maint.
// Config maint (0x04, from `disabled`) is left out: it stays set on a slot after `state ready`.
const MAINT = 0x01 | 0x02 | 0x20 | 0x40;
const DRAIN = 0x08 | 0x10;
/** srv_check_state's CHK_ST_ENABLED: HAProxy's check runs (`disable health` clears it). */
const CHECK_ENABLED = 0x04;
/** srv_op_state's SRV_ST_RUNNING. */
const RUNNING = 2;

/** `backend/slot`, the name HAProxy's stats page and Runtime API use. */
export const slotId = (slot: Pick<Slot, 'backend' | 'name'>): string => `${slot.backend}/${slot.name}`;

/** `backend/instance id`. */
export const serverKey = (server: Pick<WantedServer, 'backend' | 'id'>): string =>
  `${server.backend}/${server.id}`;

const isParked = (slot: Slot): boolean =>
  slot.admin === 'maint' && slot.host === PARKED.host && slot.port === PARKED.port;

/** Parses `show servers state` (format 1: a version line, a `#` header, then one row per server). */
export function parseSlots(text: string): Slot[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.find((l) => l.startsWith('# '));
  if (!header) return [];
  const columns = header.slice(2).trim().split(/\s+/);
  const at = (name: string) => columns.indexOf(name);
  return lines
    .filter((l) => !l.startsWith('#') && l.includes(' '))
    .map((l) => l.trim().split(/\s+/))
    .map((f) => {
      const admin = Number(f[at('srv_admin_state')]);
      return {
        backend: f[at('be_name')],
        name: f[at('srv_name')],
        host: f[at('srv_addr')],
        port: Number(f[at('srv_port')]),
        admin: admin & MAINT ? 'maint' : admin & DRAIN ? 'drain' : 'ready',
        weight: Number(f[at('srv_uweight')]),
        checked: (Number(f[at('srv_check_state')]) & CHECK_ENABLED) !== 0,
        up: Number(f[at('srv_op_state')]) === RUNNING,
      };
    });
}

/** Parses `show backend`: one backend name a line after a `# name` header. */
export function parseBackends(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/**
 * Compares HAProxy's slots with what the registry wants. A wanted server keeps the slot that already
 * carries its address (so a registry restart drops no connection); one without gets the lowest free
 * slot; slots of servers nobody wants are emptied, except those of `draining` servers, which finish
 * their requests first. A server that is not routable keeps its slot untouched and gets none; one held
 * in maintenance moves only further out of traffic (ready, drain, maint) and gets none. Every held
 * slot takes its server's weight.
 * Services with no backend in HAProxy are left alone.
 */
export function planSlots(
  backends: string[],
  slots: Slot[],
  wanted: WantedServer[],
  draining: WantedServer[] = [],
): SlotPlan {
  const known = new Set(backends);
  const address = (backend: string, host: string, port: number) => `${backend}/${host}:${port}`;
  const slotAt = new Map<string, Slot>();
  for (const slot of slots) {
    const at = address(slot.backend, slot.host, slot.port);
    if (!isParked(slot) && !slotAt.has(at)) slotAt.set(at, slot);
  }
  const plan: SlotPlan = {
    held: new Map(),
    fill: [],
    ready: [],
    hold: [],
    weigh: [],
    checks: [],
    health: [],
    empty: [],
    unrouted: [],
  };
  const taken = new Set<Slot>();
  const homeless: WantedServer[] = [];
  for (const server of wanted.filter((w) => known.has(w.backend))) {
    const slot = slotAt.get(address(server.backend, server.host, server.port));
    if (!slot || taken.has(slot)) {
      if (server.routable && server.hold === null) homeless.push(server);
      continue;
    }
    taken.add(slot);
    plan.held.set(serverKey(server), slot);
    if (server.hold === 'maint' && slot.admin !== 'maint') plan.hold.push({ slot, state: 'maint' });
    else if (server.hold === 'drain' && slot.admin === 'ready') plan.hold.push({ slot, state: 'drain' });
    else if (server.hold === null && server.routable && slot.admin !== 'ready') plan.ready.push(slot);
    if (slot.weight !== server.weight) plan.weigh.push({ slot, weight: server.weight });
    if (slot.checked !== server.selfChecked) plan.checks.push({ slot, enable: server.selfChecked });
    if (!server.selfChecked && server.hold === null && slot.up !== server.routable) {
      plan.health.push({ slot, up: server.routable });
    }
  }
  for (const server of draining) {
    const slot = slotAt.get(address(server.backend, server.host, server.port));
    if (slot) taken.add(slot);
  }
  const free = slots.filter((s) => known.has(s.backend) && !taken.has(s));
  plan.empty = free.filter((s) => !isParked(s));
  for (const server of homeless) {
    const index = free.findIndex((s) => s.backend === server.backend);
    if (index < 0) {
      plan.unrouted.push(server);
      continue;
    }
    const [slot] = free.splice(index, 1);
    plan.fill.push({ slot, server });
    plan.held.set(serverKey(server), slot);
  }
  return plan;
}
