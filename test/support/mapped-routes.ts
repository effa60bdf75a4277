/** A route as Nest reports mapping it: `GET /posts/{id}/likes` (path parameters in OpenAPI's form). */
export type MappedRoute = `${string} /${string}`;

/**
 * The routes a running Nest app mapped, read from its boot log (`Mapped {/posts/:id/likes, POST}
 * route`, logged at LOG_LEVEL=log), so a test sees what the router serves rather than a list of its own.
 */
export function mappedRoutes(output: string): MappedRoute[] {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  return [...plain.matchAll(/Mapped \{(\/[^,]*), (\w+)\}/g)].map(
    ([, path, method]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}` as MappedRoute,
  );
}
