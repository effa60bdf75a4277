import { documentedAs } from '@app/http';
import { z } from 'zod';

// Consul's limits: https://developer.hashicorp.com/consul/docs/services/configuration/services-configuration-reference
const MAX_TAGS = 32;
const MAX_META_KEYS = 64;
const TAG = /^[A-Za-z0-9_.:-]{1,63}$/;
const META_KEY = /^[A-Za-z0-9_-]{1,128}$/;
const META_VALUE_MAX = 512;

/** A comma list (`a,b`) as a query or form gives it, or a list as JSON does; anything else is left to fail. */
const commaList = (value: unknown) =>
  typeof value === 'string' ? (value === '' ? [] : value.split(',')) : value;

const tag = z.string().regex(TAG, 'each tag must be 1-63 of A-Z a-z 0-9 _ . : -');

/** An instance's tags: at most 32, each 1-63 of `A-Z a-z 0-9 _ . : -`; duplicates kept once. */
export const tagsSchema = z
  .preprocess(commaList, z.array(tag).max(MAX_TAGS, `at most ${MAX_TAGS} tags`))
  .transform((tags) => [...new Set(tags)]);

/** `?tag=a&tag=b` on a list: instances carrying every tag given (one tag, or several). */
export const tagFilterSchema = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z.array(tag).max(MAX_TAGS),
);

/**
 * `key:value` pairs, comma-separated, as a query or form gives metadata (values with a comma need
 * a JSON body); an object as JSON gives it. Entries, so a key such as `__proto__` stays a key.
 */
function metaEntries(value: unknown): unknown {
  if (typeof value === 'string') {
    return (value === '' ? [] : value.split(',')).map((pair) => {
      const colon = pair.indexOf(':');
      return colon < 0 ? [pair, undefined] : [pair.slice(0, colon), pair.slice(colon + 1)];
    });
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value);
  return value;
}

const metaEntry = z.tuple([
  z.string().regex(META_KEY, 'keys must be 1-128 of A-Z a-z 0-9 _ -'),
  z.string({ error: 'values must be strings (key:value in a query or form)' }).max(META_VALUE_MAX, {
    error: `values must be at most ${META_VALUE_MAX} characters`,
  }),
]);

/** An instance's metadata: at most 64 keys of 1-128 `A-Z a-z 0-9 _ -`, string values of at most 512. */
export const metaSchema = z
  .preprocess(
    metaEntries,
    z.array(metaEntry, { error: 'must be an object of strings, or key:value pairs' }).max(MAX_META_KEYS, {
      error: `at most ${MAX_META_KEYS} keys`,
    }),
  )
  .transform((entries): Record<string, string> => Object.fromEntries(entries))
  // Documented as what a client sends (the entries are how it is read), not as the entries.
  .meta(
    documentedAs({
      anyOf: [
        {
          type: 'object',
          maxProperties: MAX_META_KEYS,
          propertyNames: { pattern: META_KEY.source },
          additionalProperties: { type: 'string', maxLength: META_VALUE_MAX },
        },
        { type: 'string', description: '`key:value` pairs, comma-separated (a query or a form)' },
      ],
    }),
  );
