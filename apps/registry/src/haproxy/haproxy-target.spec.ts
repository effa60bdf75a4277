import { HaproxyTarget, type Snapshot } from './haproxy-target';
import type { RuntimeApi } from './runtime-api';
import type { WantedServer } from './slots';

const HEADER =
  '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';

/**
 * The few Runtime API commands a target sends, over an in-memory HAProxy with one backend of three
 * slots and its applied-index map. Pure logic only: the real HAProxy is in test/registry.
 */
class FakeHaproxy {
  slots = [1, 2, 3].map((n) => ({ name: `s${n}`, addr: '127.0.0.1', port: 1, admin: 1, weight: 1 }));
  map = new Map<string, string>();
  private staged = new Map<string, Map<string, string>>();
  private versions = 0;
  pid = 100;
  refuse?: RegExp;
  gate?: Promise<void>;
  readonly commands: string[] = [];

  readonly api = {
    label: '127.0.0.1:5590',
    execute: async (line: string) => {
      this.commands.push(line);
      if (this.gate && line.startsWith('show servers state')) await this.gate;
      return line
        .split('; ')
        .map((command) => this.run(command))
        .join('\n');
    },
  } as unknown as RuntimeApi;

  filled(): string[] {
    return this.slots.filter((s) => s.port !== 1).map((s) => `${s.name}=${s.port}`);
  }

  private run(command: string): string {
    if (this.refuse?.test(command)) return 'No such server.';
    const [verb, what, ...rest] = command.split(' ');
    if (command === 'show backend') return '# name\nlikes';
    if (command === 'show servers state') {
      const rows = this.slots.map(
        (s, i) =>
          `3 likes ${i + 1} ${s.name} ${s.addr} 2 ${s.admin} ${s.weight} 1 4 15 3 4 6 0 0 0 - ${s.port} - 0 0 - - 0`,
      );
      return ['1', HEADER, ...rows].join('\n');
    }
    if (command === 'show info') return `Name: HAProxy\nPid: ${this.pid}\nStart_time_sec: ${this.pid}`;
    if (verb === 'get' && what === 'map') {
      const value = this.map.get(rest[1]);
      return value === undefined
        ? 'type=str, found=no'
        : `type=str, found=yes, key="${rest[1]}", value="${value}"`;
    }
    if (verb === 'prepare' && what === 'map') return `New version created: ${++this.versions}`;
    if (verb === 'add' && what === 'map' && rest[0].startsWith('@')) {
      const staged = this.staged.get(rest[0]) ?? new Map<string, string>();
      this.staged.set(rest[0], staged.set(rest[2], rest[3]));
      return '';
    }
    if (verb === 'commit' && what === 'map') {
      this.map = this.staged.get(rest[0]) ?? new Map();
      return '';
    }
    const slot = this.slots.find((s) => `likes/${s.name}` === rest[0]);
    if (verb === 'set' && what === 'server' && slot) {
      if (rest[1] === 'addr') Object.assign(slot, { addr: rest[2], port: Number(rest[4]) });
      if (rest[1] === 'weight') slot.weight = Number(rest[2]);
      if (rest[1] === 'state') slot.admin = rest[2] === 'ready' ? 0 : rest[2] === 'drain' ? 8 : 1;
    }
    return '';
  }
}

const server = (port: number): WantedServer => ({
  backend: 'likes',
  id: `127.0.0.1:${port}`,
  host: '127.0.0.1',
  port,
  routable: true,
  selfChecked: true,
  weight: 1,
  hold: null,
});
const snapshot = (index: number, ...ports: number[]): Snapshot => ({
  index,
  servers: ports.map(server),
  draining: [],
});

describe(HaproxyTarget.name, () => {
  let haproxy: FakeHaproxy;
  let errors: number;
  let target: HaproxyTarget;
  let storeIndex: number;

  beforeEach(() => {
    haproxy = new FakeHaproxy();
    errors = 0;
    storeIndex = 100;
    target = new HaproxyTarget(
      haproxy.api,
      () => errors++,
      () => Promise.resolve(storeIndex),
    );
  });

  it('fills slots and records the index it applied, in HAProxy', async () => {
    await target.push(snapshot(4, 7400, 7401));
    expect(haproxy.filled()).toEqual(['s1=7400', 's2=7401']);
    expect(haproxy.map.get('applied_index')).toBe('4');
    expect(target.serverOf('likes/127.0.0.1:7401')).toBe('likes/s2');
    await target.push(snapshot(5, 7401));
    expect(haproxy.filled()).toEqual(['s2=7401']); // a slot keeps its instance
    expect(haproxy.map.get('applied_index')).toBe('5');
  });

  it('applies the newest snapshot handed over while its turn waits, once', async () => {
    let release!: () => void;
    haproxy.gate = new Promise((resolve) => (release = resolve));
    const first = target.push(snapshot(1, 7400));
    const later = [target.push(snapshot(2, 7400, 7401)), target.push(snapshot(3, 7400, 7401, 7402))];
    release();
    await Promise.all([first, ...later]);
    expect(haproxy.filled()).toEqual(['s1=7400', 's2=7401', 's3=7402']);
    expect(haproxy.map.get('applied_index')).toBe('3');
    expect(haproxy.commands.filter((c) => c === 'show servers state')).toHaveLength(1);
  });

  it('never sets an HAProxy back to an older index than it holds', async () => {
    haproxy.map.set('applied_index', '9'); // another registry pushed index 9
    expect(await target.push(snapshot(7, 7400))).toBeUndefined();
    expect(haproxy.filled()).toEqual([]);
    expect(haproxy.map.get('applied_index')).toBe('9');
  });

  it('overwrites an index the store never reached (a reset store, another deployment)', async () => {
    haproxy.map.set('applied_index', '9000');
    storeIndex = 7;
    await target.push(snapshot(7, 7400));
    expect(haproxy.filled()).toEqual(['s1=7400']);
    expect(haproxy.map.get('applied_index')).toBe('7');
  });

  it('leaves its index behind when HAProxy refuses a command, so it shows as lagging', async () => {
    await target.push(snapshot(1, 7400));
    haproxy.refuse = /addr 127\.0\.0\.1 port 7401/;
    await target.push(snapshot(2, 7400, 7401));
    expect(errors).toBe(1);
    expect(haproxy.map.get('applied_index')).toBe('1');
    expect(target.observeLag(2, 1_000)).toBe(0); // index 2 first seen now
    expect(target.observeLag(2, 7_000)).toBe(6_000);
    expect(target.observeLag(3, 8_000)).toBe(7_000); // still counted from the oldest it lacks
    haproxy.refuse = undefined;
    await target.push(snapshot(2, 7400, 7401)); // the lag's reconcile
    expect(haproxy.filled()).toEqual(['s1=7400', 's2=7401']);
    expect(target.observeLag(2, 8_000)).toBe(0);
  });

  it('tells a restarted HAProxy (a new process) from one that answers again', async () => {
    expect(await target.probe()).toBe('returned'); // first sight
    expect(await target.probe()).toBe('same');
    haproxy.pid = 200;
    expect(await target.probe()).toBe('restarted');
    const execute = haproxy.api.execute;
    haproxy.api.execute = () => Promise.reject(new Error('ECONNREFUSED'));
    expect(await target.probe()).toBeNull();
    expect(await target.push(snapshot(1, 7400))).toBeUndefined(); // skipped while it fails
    haproxy.api.execute = execute;
    expect(await target.probe()).toBe('returned');
    expect(target.status().last_error).toContain('ECONNREFUSED');
  });
});
