// Values, never schemas: what is under these keys is data, copied as it is.
const DATA = new Set(['const', 'enum', 'default', 'examples', 'example']);
// Names, never keywords: only the values under these keys are schemas.
const NAMED = new Set(['properties', 'definitions']);

/**
 * A copy of the JSON Schema `node`, rebuilt from the leaves up: `rewrite` gets each schema object with
 * its subschemas already rewritten and returns what takes its place.
 */
export function rewriteSchema(node: unknown, rewrite: (schema: Record<string, unknown>) => unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteSchema(item, rewrite));
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA.has(key)) copy[key] = value;
    else if (NAMED.has(key))
      copy[key] = Object.fromEntries(
        Object.entries(value as object).map(([name, schema]) => [name, rewriteSchema(schema, rewrite)]),
      );
    else copy[key] = rewriteSchema(value, rewrite);
  }
  return rewrite(copy);
}
