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

const isHttpUrl = (v: string) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol);

/** `true` or `false` from the environment, with a default. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true');

/** An absolute http(s) URL from the environment, with a default. */
export const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(isHttpUrl, 'must be an http(s) URL')
    .transform((v) => v.replace(/\/+$/, ''));

/** An absolute http(s) URL from the environment, or nothing. */
export const optionalHttpUrl = () =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || isHttpUrl(v), 'must be an http(s) URL, e.g. http://127.0.0.1:7400');

/** A network address parsed from `host:port`. */
export interface Address {
  host: string;
  port: number;
}

const ADDRESS = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/;

// A `host:port` address, or undefined when `text` is not one.
function parseAddress(text: string): Address | undefined {
  const match = ADDRESS.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/** A `host:port` address from the environment, with a default; an empty value gives null (turned off). */
export const optionalAddress = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx): Address | null => {
      if (v.trim() === '') return null;
      const address = parseAddress(v);
      if (!address) {
        ctx.addIssue({
          code: 'custom',
          message: `must be host:port (e.g. 127.0.0.1:5590) or empty, got "${v}"`,
        });
        return z.NEVER;
      }
      return address;
    });

/** A comma list of `host:port` addresses from the environment; unset or empty gives null. */
export const optionalAddressList = () =>
  z
    .string()
    .optional()
    .transform((v, ctx): Address[] | null => {
      if (!v?.trim()) return null;
      const parts = v.split(',').map((part) => part.trim());
      const addresses = parts.map(parseAddress);
      const bad = parts.filter((_, i) => !addresses[i]);
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma list of host:port (e.g. 127.0.0.1:7001,127.0.0.1:7002), got "${bad.join('", "')}"`,
        });
        return z.NEVER;
      }
      return addresses as Address[];
    });
