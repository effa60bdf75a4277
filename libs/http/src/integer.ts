import { z } from 'zod';

/** Decimal digits, as a query string or a form gives a number: no sign tricks, hex, exponent or point. */
const DECIMAL = /^-?[0-9]{1,15}$/;

/**
 * An integer from `min` to `max`, given as a JSON number or as decimal digits (query string, form).
 * Nothing else is read as a number: not `0x10`, `1e1`, `200.0`, `" 7"` nor `["200"]` (which
 * `Number()` would all take). Every way of missing says the same plain thing; the document shows the
 * integer the field means (and its `fallback`, when one is given for a missing value), not the text
 * it arrives as.
 */
export function integerIn(
  min: number,
  max: number,
  fallback?: number,
  message = `must be an integer from ${min} to ${max}`,
): z.ZodType<number, unknown> {
  const integer = z.preprocess(
    (value) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value),
    z.number({ error: message }).int(message).min(min, message).max(max, message),
  );
  const rendered = {
    type: 'integer',
    minimum: min,
    maximum: max,
    ...(fallback !== undefined && { default: fallback }),
  };
  return (fallback === undefined ? integer : integer.default(fallback)).meta({
    override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) =>
      Object.assign(jsonSchema, rendered),
  });
}
