import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { z } from 'zod';

/** Metadata key of {@link Returns}. */
export const RETURNS = 'chirp:returns';

/** A route's successful answer: its body's schema under each media type it is served as. */
export type RouteAnswer = Record<string, z.ZodType>;

const JSON_TYPE = 'application/json';

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
 * The JSON Schema fast-json-stringify compiles for `schema`'s output: draft-07, the draft its Ajv
 * reads (a nullable field is then `type: [T, "null"]`, which it writes without trying branches).
 */
export function serializationSchema(schema: z.ZodType): object {
  const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' });
  delete json.$schema; // fast-json-stringify's Ajv knows the draft without being told
  return json;
}
