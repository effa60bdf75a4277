import { z } from 'zod';

/** An opaque page cursor: DynamoDB's LastEvaluatedKey as base64url JSON; null when there is no next page. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * A cursor query parameter decoded back into a start key with exactly `keys`, each a string;
 * anything else is a 400, so a tampered cursor never reaches DynamoDB.
 */
export function cursorSchema(keys: readonly string[]) {
  return z
    .string()
    .max(4096)
    .transform((value, ctx): Record<string, string> => {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      } catch {
        decoded = undefined;
      }
      const valid =
        typeof decoded === 'object' &&
        decoded !== null &&
        !Array.isArray(decoded) &&
        Object.keys(decoded).length === keys.length &&
        keys.every((k) => typeof (decoded as Record<string, unknown>)[k] === 'string');
      if (!valid) {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this listing returned' });
        return z.NEVER;
      }
      return decoded as Record<string, string>;
    });
}
