import type { FastifyInstance, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

/**
 * The methods each mapped path takes, so a request with a wrong method on a known path is told so
 * (405 with `Allow`) instead of "Cannot PUT …" as if the path did not exist. Fastify's router answers
 * only "no route for this method and path"; a router of our own, fed by `onRoute`, answers the rest.
 */
export class AllowedMethods {
  private readonly router = FindMyWay();
  private readonly methods = new Set<HTTPMethod>();

  add(method: string | string[], url: string): void {
    for (const one of ([] as string[]).concat(method)) {
      const upper = one.toUpperCase() as HTTPMethod;
      if (this.router.find(upper, url) !== null) continue; // Nest and Fastify may add a route twice
      this.methods.add(upper);
      this.router.on(upper, url, () => undefined);
    }
  }

  /** The methods `path` (no query string) is served on, in a stable order; `[]` for an unknown path. */
  of(path: string): HTTPMethod[] {
    return [...this.methods].filter((method) => this.serves(method, path)).sort();
  }

  // find-my-way's `find` takes an empty last segment for a parameter (`/items/`); Fastify's routes do not.
  private serves(method: HTTPMethod, path: string): boolean {
    const found = this.router.find(method, path);
    return found !== null && Object.values(found.params).every((value) => value !== '');
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    allowedMethods?: AllowedMethods;
  }
}

/** Records every route `fastify` (and every context inside it) maps from now on. */
export function recordAllowedMethods(fastify: FastifyInstance): void {
  const allowed = new AllowedMethods();
  fastify.decorate('allowedMethods', allowed);
  fastify.addHook('onRoute', (route) => allowed.add(route.method, route.url ?? route.path));
}

/**
 * For a request no route matched: the methods its `path` takes, when there are some (a 405), or
 * `undefined` (a plain 404).
 */
export function methodsAllowedFor(request: FastifyRequest, path: string): HTTPMethod[] | undefined {
  if (request.routeOptions.url !== undefined) return undefined; // a route matched: its own 404
  const methods = request.server.allowedMethods?.of(path);
  return methods !== undefined && methods.length > 0 ? methods : undefined;
}
