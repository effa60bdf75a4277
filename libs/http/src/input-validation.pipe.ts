import { type ArgumentMetadata, StandardSchemaValidationPipe } from '@nestjs/common';

type Schema = NonNullable<ArgumentMetadata['schema']>;
type Result = Awaited<ReturnType<Schema['~standard']['validate']>>;

/**
 * Nest's Standard Schema pipe, with two savings on every request (measured by bench/perf-likes.mjs):
 * a flat input skips the general walk that strips prototype keys, and {@link validateNow} answers
 * without a promise when the schema does (zod does, unless a refinement is async).
 */
export class InputValidationPipe extends StandardSchemaValidationPipe {
  /**
   * `transform`, without a promise when the schema validates synchronously: what the fast path calls,
   * so that a request's arguments cost no microtask. Same steps, same errors as `transform`.
   */
  validateNow(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = metadata.schema;
    if (!schema || !this.toValidate(metadata)) return value;
    this.stripProtoKeys(value);
    const result = this.validate(value, schema, this.validateOptions);
    return isPromiseLike(result)
      ? Promise.resolve(result).then((settled) => this.outcome(value, settled))
      : this.outcome(value, result);
  }

  /**
   * Nest's walk allocates a WeakSet and a stack for each value. Most inputs are one plain object of
   * strings and numbers (what `@Input` merges from a query string, a form, a flat JSON body and the
   * path parameters), for which the walk comes down to the same deletes; anything else (a nested
   * value, another prototype) takes Nest's walk.
   */
  protected override stripProtoKeys(value: unknown): void {
    if (!isFlatPlainObject(value)) return super.stripProtoKeys(value);
    // Looked up first: in a microbenchmark, deleting the three keys when absent cost ~90 ns a call.
    for (const key of PROTO_KEYS) if (Object.hasOwn(value, key)) delete value[key];
  }

  private outcome(value: unknown, result: Result): unknown {
    if (result.issues) throw this.exceptionFactory(result.issues);
    return this.isTransformEnabled ? result.value : value;
  }
}

const PROTO_KEYS = ['__proto__', 'prototype', 'constructor'];

const isPromiseLike = (result: Result | PromiseLike<Result>): result is PromiseLike<Result> =>
  typeof (result as Partial<PromiseLike<Result>>).then === 'function';

/** A plain object whose fields are all primitives (no object, array or function). */
function isFlatPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if ((typeof field === 'object' && field !== null) || typeof field === 'function') return false;
  }
  return true;
}
