import { parseBackends, parseServersState, parseSessions, planReconcile } from './servers';

const STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
6 likes 1 127.0.0.1:7400 127.0.0.1 2 0 1 1 2 15 3 2 6 0 0 0 - 7400 - 0 0 - - 0
6 likes 2 127.0.0.1:7401 127.0.0.1 2 0 1 1 2 15 3 2 6 0 0 0 - 7401 - 0 0 - - 0
8 registry 1 127.0.0.1:7300 127.0.0.1 2 0 1 1 2 15 3 2 6 0 0 0 - 7300 - 0 0 - - 0
`;

describe('HAProxy Runtime API parsing', () => {
  it('reads servers from `show servers state`', () => {
    expect(parseServersState(STATE)).toEqual([
      { backend: 'likes', name: '127.0.0.1:7400', address: '127.0.0.1', port: 7400 },
      { backend: 'likes', name: '127.0.0.1:7401', address: '127.0.0.1', port: 7401 },
      { backend: 'registry', name: '127.0.0.1:7300', address: '127.0.0.1', port: 7300 },
    ]);
    expect(parseServersState('1\n')).toEqual([]);
  });

  it('reads backends and sessions', () => {
    expect(parseBackends('# name\nlikes\npolls\n')).toEqual(['likes', 'polls']);
    const csv = '# pxname,svname,qcur,qmax,scur,smax\nlikes,127.0.0.1:7400,0,0,3,9\nlikes,BACKEND,0,0,3,9\n';
    expect(parseSessions(csv).get('likes/127.0.0.1:7400')).toBe(3);
  });
});

describe(planReconcile.name, () => {
  const server = (backend: string, port: number) => ({
    backend,
    name: `127.0.0.1:${port}`,
    address: '127.0.0.1',
    port,
  });
  const wanted = (backend: string, port: number) => ({
    backend,
    name: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
  });

  it('adds what the registry has and HAProxy lacks, removes what HAProxy has and the registry lacks', () => {
    const sut = planReconcile(
      ['likes', 'polls'],
      [server('likes', 1), server('likes', 2)],
      [wanted('likes', 2), wanted('likes', 3), wanted('polls', 4)],
    );
    expect(sut.add).toEqual([wanted('likes', 3), wanted('polls', 4)]);
    expect(sut.remove).toEqual([server('likes', 1)]);
  });

  it('leaves services alone that HAProxy has no backend for', () => {
    const sut = planReconcile(['likes'], [], [wanted('echo', 1)]);
    expect(sut).toEqual({ add: [], remove: [] });
  });

  it('replaces a server whose address changed', () => {
    const moved = { ...server('likes', 1), address: '127.0.0.2' };
    const sut = planReconcile(['likes'], [moved], [wanted('likes', 1)]);
    expect(sut).toEqual({ add: [wanted('likes', 1)], remove: [moved] });
  });

  it('does nothing when both agree', () => {
    expect(planReconcile(['likes'], [server('likes', 1)], [wanted('likes', 1)])).toEqual({
      add: [],
      remove: [],
    });
  });
});
