import { parseBackends, parseSlots, planSlots, type Slot, type WantedServer } from './slots';

const STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 likes 1 s1 127.0.0.1 2 4 1 1 4 15 3 4 6 0 0 0 - 7400 - 0 0 - - 0
3 likes 2 s2 127.0.0.1 2 12 1 1 4 15 3 4 6 0 0 0 - 7401 - 0 0 - - 0
3 likes 3 s3 127.0.0.1 0 5 1 1 4 1 0 0 14 0 0 0 - 1 - 0 0 - - 0
`;

const slot = (name: string, port: number, admin: Slot['admin'] = 'ready', backend = 'likes'): Slot => ({
  backend,
  name,
  host: '127.0.0.1',
  port,
  admin,
  weight: 1,
  checked: true,
  up: admin !== 'maint',
});
const parked = (name: string, backend = 'likes') => slot(name, 1, 'maint', backend);
const wanted = (port: number, backend = 'likes', routable = true): WantedServer => ({
  backend,
  id: `127.0.0.1:${port}`,
  host: '127.0.0.1',
  port,
  routable,
  selfChecked: true,
  weight: 1,
  hold: null,
});
const critical = (port: number) => wanted(port, 'likes', false);

describe('HAProxy Runtime API parsing', () => {
  it('reads slots from `show servers state`, with their admin state (config maint is not maint)', () => {
    expect(parseSlots(STATE)).toEqual([slot('s1', 7400), slot('s2', 7401, 'drain'), parked('s3')]);
    expect(parseSlots('1\n')).toEqual([]);
  });

  it('reads backends', () => {
    expect(parseBackends('# name\nlikes\npolls\n')).toEqual(['likes', 'polls']);
  });
});

describe(planSlots.name, () => {
  it('gives a new instance the lowest free slot', () => {
    const sut = planSlots(
      ['likes'],
      [slot('s1', 7400), parked('s2'), parked('s3')],
      [wanted(7400), wanted(7401)],
    );
    expect(sut.fill).toEqual([{ slot: parked('s2'), server: wanted(7401) }]);
    expect(sut.empty).toEqual([]);
    expect([...sut.held]).toEqual([
      ['likes/127.0.0.1:7400', slot('s1', 7400)],
      ['likes/127.0.0.1:7401', parked('s2')],
    ]);
  });

  it('keeps every assignment HAProxy already has (a restarted registry drops no connection)', () => {
    const slots = [slot('s1', 7401), slot('s2', 7400)];
    const sut = planSlots(['likes'], slots, [wanted(7400), wanted(7401)]);
    expect(sut).toMatchObject({ fill: [], empty: [], ready: [], unrouted: [] });
    expect(sut.held.get('likes/127.0.0.1:7400')).toEqual(slot('s2', 7400));
  });

  it('empties the slots of instances the registry no longer wants, and reuses them', () => {
    const sut = planSlots(['likes'], [slot('s1', 7400), slot('s2', 7401)], [wanted(7401), wanted(7402)]);
    expect(sut.empty).toEqual([slot('s1', 7400)]);
    expect(sut.fill).toEqual([{ slot: slot('s1', 7400), server: wanted(7402) }]);
  });

  it('leaves a draining instance its slot, and puts it back in traffic if it is wanted again', () => {
    const draining = slot('s1', 7400, 'drain');
    expect(planSlots(['likes'], [draining, parked('s2')], [], [wanted(7400)])).toMatchObject({
      empty: [],
      fill: [],
    });
    const back = planSlots(['likes'], [draining, parked('s2')], [wanted(7400)], [wanted(7400)]);
    expect(back).toMatchObject({ ready: [draining], fill: [], empty: [] });
  });

  it('says which instances a full backend cannot route', () => {
    const sut = planSlots(['likes'], [slot('s1', 7400)], [wanted(7400), wanted(7401)]);
    expect(sut.unrouted).toEqual([wanted(7401)]);
    expect(sut.held.has('likes/127.0.0.1:7401')).toBe(false);
  });

  it('fills a backend only with its own service, and leaves services without a backend alone', () => {
    const sut = planSlots(
      ['likes', 'polls'],
      [parked('s1', 'polls'), parked('s1')],
      [wanted(9, 'echo'), wanted(7400)],
    );
    expect(sut.fill).toEqual([{ slot: parked('s1'), server: wanted(7400) }]);
    expect(sut.unrouted).toEqual([]);
  });

  it('frees a second slot carrying the same address', () => {
    const sut = planSlots(['likes'], [slot('s1', 7400), slot('s2', 7400)], [wanted(7400)]);
    expect(sut.empty).toEqual([slot('s2', 7400)]);
    expect(sut.held.get('likes/127.0.0.1:7400')).toEqual(slot('s1', 7400));
  });

  it('puts a held slot left in maintenance back in traffic', () => {
    const sut = planSlots(['likes'], [slot('s1', 7400, 'maint')], [wanted(7400)]);
    expect(sut.ready).toEqual([slot('s1', 7400, 'maint')]);
  });

  it('keeps a critical instance its slot as HAProxy left it, so it serves again the moment it answers', () => {
    const sut = planSlots(['likes'], [slot('s1', 7400), parked('s2')], [critical(7400), wanted(7401)]);
    expect(sut).toMatchObject({ empty: [], ready: [], unrouted: [] });
    expect(sut.fill).toEqual([{ slot: parked('s2'), server: wanted(7401) }]);
    expect(sut.held.get('likes/127.0.0.1:7400')).toEqual(slot('s1', 7400));
    // Passing again: the same slot, nothing to change.
    const back = planSlots(['likes'], [slot('s1', 7400), slot('s2', 7401)], [wanted(7400), wanted(7401)]);
    expect(back).toMatchObject({ fill: [], empty: [], ready: [] });
  });

  it('never gives a critical instance a slot, nor puts one in maintenance back in traffic', () => {
    const sut = planSlots(
      ['likes'],
      [slot('s1', 7400, 'maint'), parked('s2')],
      [critical(7400), critical(7401)],
    );
    expect(sut).toMatchObject({ fill: [], empty: [], ready: [], unrouted: [] });
    expect([...sut.held.keys()]).toEqual(['likes/127.0.0.1:7400']);
  });

  it('weighs every held slot as its server asks, and fills a slot with its weight', () => {
    const heavy = { ...wanted(7400), weight: 3 };
    const sut = planSlots(
      ['likes'],
      [slot('s1', 7400), parked('s2')],
      [heavy, { ...wanted(7401), weight: 0 }],
    );
    expect(sut.weigh).toEqual([{ slot: slot('s1', 7400), weight: 3 }]);
    expect(sut.fill).toEqual([{ slot: parked('s2'), server: { ...wanted(7401), weight: 0 } }]);
  });

  it('holds a server in maintenance further out of traffic only: drain, then maint, never back', () => {
    const held = (hold: WantedServer['hold']) => [{ ...wanted(7400), hold }];
    expect(planSlots(['likes'], [slot('s1', 7400)], held('drain')).hold).toEqual([
      { slot: slot('s1', 7400), state: 'drain' },
    ]);
    expect(planSlots(['likes'], [slot('s1', 7400, 'maint')], held('drain'))).toMatchObject({
      hold: [],
      ready: [],
    });
    expect(planSlots(['likes'], [slot('s1', 7400, 'drain')], held('maint')).hold).toEqual([
      { slot: slot('s1', 7400, 'drain'), state: 'maint' },
    ]);
    // Out of maintenance and passing: ready again.
    expect(planSlots(['likes'], [slot('s1', 7400, 'maint')], held(null)).ready).toEqual([
      slot('s1', 7400, 'maint'),
    ]);
  });

  it('gives no slot to a server in maintenance', () => {
    const sut = planSlots(['likes'], [parked('s1')], [{ ...wanted(7400), hold: 'drain' }]);
    expect(sut).toMatchObject({ fill: [], unrouted: [], empty: [] });
  });
});
