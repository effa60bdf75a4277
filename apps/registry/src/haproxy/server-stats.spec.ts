import { parseServerStats } from './server-stats';

const CSV = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,status,rate,addr,connect,reuse
likes,s1,0,0,3,9,,120,UP,7,127.0.0.1:7400,4,116
likes,s2,0,0,0,1,,5,DOWN 1/2,0,127.0.0.1:7401,5,0
likes,s3,0,0,0,0,,0,MAINT,0,127.0.0.1:1,0,0
likes,s4,0,0,1,1,,2,DRAIN,0,127.0.0.1:7402,2,0
`;

describe(parseServerStats.name, () => {
  it('reads each server by column name, with the first word of its status', () => {
    const [s1, s2, s3, s4] = parseServerStats(CSV);
    expect(s1).toEqual({
      backend: 'likes',
      name: 's1',
      addr: '127.0.0.1:7400',
      status: 'UP',
      sessions: 3,
      rate: 7,
      requests: 120,
      connects: 4,
      reuses: 116,
      parked: false,
    });
    expect([s2.status, s3.status, s4.status]).toEqual(['DOWN', 'MAINT', 'DRAIN']);
  });

  it('marks parked slots (HAProxy still reports their parked address)', () => {
    expect(parseServerStats(CSV).map((s) => s.parked)).toEqual([false, false, true, false]);
  });

  it('reads nothing from an empty answer', () => {
    expect(parseServerStats('')).toEqual([]);
  });
});
