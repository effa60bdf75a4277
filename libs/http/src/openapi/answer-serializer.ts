import { Logger } from '@nestjs/common';
import { Ajv } from 'ajv';
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema';
import { rewriteSchema } from './rewrite-schema';

// Checks shape and types only, and never changes the value (no coercion, no defaults, nothing removed).
// Made at the first answer: Ajv compiles its meta-schemas when made, tens of ms of every boot.
let ajv: Ajv | undefined;

/**
 * Fastify's serializer for the answers' schemas (`@Returns`). fast-json-stringify writes an answer by
 * its schema (a field the schema does not name never leaves, a required one missing is an error), but
 * it builds the JSON by string concatenation, which Node then flattens to write: a fifth more CPU for
 * a top list than V8's own JSON.stringify, plus the garbage. So an answer that is exactly its schema's
 * shape (checked by a validator Ajv compiles from the same schema, every object closed to fields it
 * does not name) goes out through JSON.stringify, the same JSON; anything else (an extra field, a
 * missing one, a Date) through fast-json-stringify, as before.
 */
export const serializeAnswer: FastifySerializerCompiler<object> = ({ schema }) => {
  const bySchema: (data: unknown) => string = fastJson(schema);
  // Compiled at the first answer, not at boot: Ajv takes a few ms a schema (the registry has ~40 routes).
  let exact: ((data: unknown) => boolean) | undefined;
  return (data) => {
    exact ??= exactShape(schema);
    return exact(data) ? JSON.stringify(data) : bySchema(data);
  };
};

/** A validator of `schema` with every object closed; one that passes nothing when Ajv cannot compile it. */
function exactShape(schema: object): (data: unknown) => boolean {
  try {
    ajv ??= newAjv();
    return ajv.compile(closed(schema) as object);
  } catch (error) {
    new Logger('AnswerSerializer').warn(`answers written by fast-json-stringify only: ${String(error)}`);
    return () => false;
  }
}

function newAjv(): Ajv {
  // strictNumbers: NaN and ±Infinity are not numbers here (JSON.stringify would write them as null).
  const made = new Ajv({ strict: false, strictNumbers: true, allErrors: false, validateFormats: false });
  // JSON.stringify writes what toJSON returns and own enumerable properties only, where Ajv reads any
  // property: a class instance (a toJSON, a getter, an inherited field) is left to fast-json-stringify.
  made.addKeyword({
    keyword: PLAIN,
    type: ['object', 'array'],
    schemaType: 'boolean',
    validate: (_: boolean, data: object) => {
      const proto: unknown = Object.getPrototypeOf(data);
      return proto === Object.prototype || proto === Array.prototype || proto === null;
    },
  });
  return made;
}

const PLAIN = 'chirpPlainData';
const SCHEMA_KEYS = [
  'type',
  'properties',
  'items',
  'additionalProperties',
  'anyOf',
  'oneOf',
  'allOf',
  '$ref',
];

/**
 * `node` with every object closed (`additionalProperties: false` unless it says otherwise), plain data
 * required of every object and array, and a `nullable` without a `type` (a nullable reference) written
 * as the union Ajv takes.
 */
function closed(node: unknown): unknown {
  return rewriteSchema(node, (schema) => {
    if (schema.properties !== undefined && schema.additionalProperties === undefined)
      schema.additionalProperties = false;
    if (SCHEMA_KEYS.some((key) => key in schema)) schema[PLAIN] = true;
    if (schema.nullable === true && schema.type === undefined) {
      delete schema.nullable;
      return { anyOf: [schema, { type: 'null' }] };
    }
    return schema;
  });
}
