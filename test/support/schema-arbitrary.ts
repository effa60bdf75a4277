import fc, { type Arbitrary } from 'fast-check';

/** The parts of a (dereferenced) JSON Schema 2020-12 the apps' documents use for their inputs. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: Schema | false;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

/** Short arrays and strings: enough to reach every rule, small enough to send thousands. */
const MAX_ITEMS = 4;

/** Values `schema` accepts, mostly (a pattern fast-check cannot read falls back to any string). */
export function valid(schema: Schema): Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map(valid));
  if (schema.allOf) return valid(Object.assign({}, ...schema.allOf) as Schema);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => valid({ ...schema, type: t })));
  switch (type[0]) {
    case 'string':
      return text(schema);
    case 'integer':
      return fc.integer({
        min: bound(
          schema.exclusiveMinimum === undefined ? schema.minimum : schema.exclusiveMinimum + 1,
          -1000,
        ),
        max: bound(schema.maximum, 1000),
      });
    case 'number':
      return fc.double({
        min: schema.exclusiveMinimum ?? schema.minimum ?? -1000,
        minExcluded: schema.exclusiveMinimum !== undefined,
        max: schema.maximum ?? 1000,
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return list(schema);
    case 'object':
      return object(schema);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Values that are often not what `schema` accepts: the wrong kind, too long, out of range, a list
 * for a scalar, unicode and control characters, prototype keys.
 */
export function mutated(schema: Schema): Arbitrary<unknown> {
  return fc.oneof(
    valid(schema),
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', ' ', '0', '-1', '1e3', '0x10', '__proto__', 'constructor', 'null', '%00', '../..'),
    fc.string({ minLength: 300, maxLength: 600 }),
    fc.integer({ min: -1e12, max: 1e12 }),
    fc.array(valid(schema), { minLength: 2, maxLength: 3 }),
  );
}

/** An object `schema` describes, each field either valid or mutated, required fields sometimes dropped. */
export function objectOf(
  schema: Schema,
  field: (schema: Schema) => Arbitrary<unknown>,
): Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const record: Record<string, Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) record[name] = field(property);
  return fc.record(record, { requiredKeys: [...required].filter((name) => name in record) });
}

function object(schema: Schema): Arbitrary<object> {
  if (schema.properties) return objectOf(schema, valid);
  const value = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
  return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), valid(value), { maxKeys: MAX_ITEMS });
}

function list(schema: Schema): Arbitrary<unknown[]> {
  if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map(valid));
  const item = schema.items === false || schema.items === undefined ? {} : schema.items;
  return fc.array(valid(item), {
    minLength: schema.minItems ?? 0,
    maxLength: Math.min(schema.maxItems ?? MAX_ITEMS, Math.max(MAX_ITEMS, schema.minItems ?? 0)),
  });
}

function text(schema: Schema): Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 40, 80);
  const minLength = schema.minLength ?? 0;
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
    } catch {
      // A construct fast-check does not generate from (a lookahead): any string, mostly refused.
    }
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
}

const bound = (value: number | undefined, fallback: number) =>
  value === undefined ? fallback : Math.max(Math.min(value, 1e9), -1e9);
