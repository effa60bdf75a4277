import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { z } from 'zod';
import { rewriteSchema } from './rewrite-schema';

/** Metadata key of {@link Returns}. */
export const RETURNS = 'chirp:returns';

/** A route's successful answer: its body's schema under each media type it is served as. */
export type RouteAnswer = Record<string, z.ZodType>;

const JSON_TYPE = 'application/json';

/** The media types of a file-name → content-type map, parameters (`; charset=…`) left off. */
export const mediaTypesOf = (types: Record<string, string>): string[] => [
  ...new Set(Object.values(types).map((type) => type.split(';')[0])),
];

/**
 * Declares a route's successful answer. A JSON answer is also serialized from its schema: Fastify
 * compiles it with fast-json-stringify at boot, so a field the schema does not name never leaves,
 * and a required field missing fails the request (a logged 500) instead of vanishing. Other media
 * types (a page, a stylesheet) are documented only.
 */
export function Returns(schema: z.ZodType, mediaTypes: string[] = [JSON_TYPE]): MethodDecorator {
  const answer: RouteAnswer = Object.fromEntries(mediaTypes.map((type) => [type, schema]));
  const json = mediaTypes.length === 1 && mediaTypes[0] === JSON_TYPE;
  return applyDecorators(
    SetMetadata(RETURNS, answer),
    ...(json ? [RouteSchema({ response: { '2xx': serializationSchema(schema) } })] : []),
  );
}

/**
 * The JSON Schema fast-json-stringify compiles for `schema`'s output: its shape only. Formats, patterns,
 * bounds and lengths are for the document and the tests; a serializer that checked them would turn a
 * value slightly off (a lag gone negative when the clock stepped back) into a 500, or, on a union,
 * pick no branch. A nullable field is `nullable` (written without trying branches); a union's branches
 * stay apart by their required fields and `additionalProperties: false`.
 */
export function serializationSchema(schema: z.ZodType): object {
  const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' });
  delete json.$schema; // fast-json-stringify's Ajv knows the draft without being told
  return shapeOnly(json) as object;
}

const CHECKS_ONLY = [
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'propertyNames',
];

/** `node` without the keywords that only check a value, and with `anyOf: [X, null]` as a nullable X. */
function shapeOnly(node: unknown): unknown {
  return rewriteSchema(node, (schema) => {
    for (const key of CHECKS_ONLY) delete schema[key];
    const branches = schema.anyOf as Record<string, unknown>[] | undefined;
    if (branches?.length === 2 && branches.some((b) => b.type === 'null')) {
      delete schema.anyOf;
      return { ...schema, ...branches.find((b) => b.type !== 'null'), nullable: true };
    }
    return schema;
  });
}
