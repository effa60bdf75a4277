import { loadLikesConfig } from './likes.config';

describe('loadLikesConfig', () => {
  it('uses the standalone Redis of the Procfile unless cluster nodes are given', () => {
    expect(loadLikesConfig({})).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6390',
      REDIS_CLUSTER_NODES: null,
      LIKES_REPAIR_INTERVAL_MS: 300_000,
      LIKES_REPAIR_BATCH: 1_000,
    });
    expect(loadLikesConfig({ REDIS_CLUSTER_NODES: ' ' }).REDIS_CLUSTER_NODES).toBeNull();
  });

  it('reads REDIS_CLUSTER_NODES as a comma list of host:port', () => {
    expect(
      loadLikesConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7001, redis-b:7002' }).REDIS_CLUSTER_NODES,
    ).toEqual([
      { host: '127.0.0.1', port: 7001 },
      { host: 'redis-b', port: 7002 },
    ]);
  });

  it('refuses a node that is not host:port, naming it', () => {
    expect(() => loadLikesConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7001,7002' })).toThrow(
      /REDIS_CLUSTER_NODES: .*got "7002"/,
    );
    expect(() => loadLikesConfig({ REDIS_CLUSTER_NODES: 'h:99999' })).toThrow(/REDIS_CLUSTER_NODES/);
  });
});
