import { z } from 'zod';

/** Parses `env` with `schema` once at boot; throws one error listing every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** A TCP port from the environment, with a default. */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** A duration in milliseconds from the environment, with a default. */
export const millis = (fallback: number) => z.coerce.number().int().min(1).max(3_600_000).default(fallback);

/** A positive integer from the environment, with a default. */
export const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** An absolute http(s) URL from the environment, with a default. */
export const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => /^https?:\/\/[^/]+/.test(v), 'must be an http(s) URL')
    .transform((v) => v.replace(/\/+$/, ''));
