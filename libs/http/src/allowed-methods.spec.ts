import { AllowedMethods } from './allowed-methods';

describe(AllowedMethods.name, () => {
  const allowed = new AllowedMethods();
  allowed.add('GET', '/posts/:id/likes');
  allowed.add('HEAD', '/posts/:id/likes');
  allowed.add(['POST'], '/posts/:id/likes');
  allowed.add('DELETE', '/posts/:id/likes/:username');
  allowed.add('GET', '/posts/:id/likes'); // mapped twice: listed once

  it('lists the methods a concrete path is served on, sorted', () => {
    expect(allowed.of('/posts/7/likes')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowed.of('/posts/7/likes/ana')).toEqual(['DELETE']);
  });

  it('lists nothing for a path no route has', () => {
    expect(allowed.of('/posts')).toEqual([]);
    expect(allowed.of('/posts/7/likes/ana/more')).toEqual([]);
  });

  it('takes an empty last segment for no parameter, as Fastify does (a 404, not a 405)', () => {
    // `/posts/7/likes/.` reaches a server as `/posts/7/likes/` once a client resolves the dot.
    expect(allowed.of('/posts/7/likes/')).toEqual([]);
  });
});
