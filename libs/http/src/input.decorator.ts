import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

// The schema travels wrapped: Nest would take a bare zod schema (it has `transform`) for a pipe.
const InputParam = createParamDecorator(
  ({ schema }: { schema: z.ZodType }, ctx: ExecutionContext): unknown => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    const body = request.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      throw new BadRequestException('body must be a JSON object or a form');
    }
    const merged = {
      ...(request.query as object),
      ...(body as object | undefined),
      ...(request.params as object),
    };
    return validate(schema, merged);
  },
);

/**
 * The route's input, validated by `schema`: the query string, the body (JSON or form) and the path
 * parameters merged, later ones winning, so the seed's httpie calls work in any of those forms.
 */
export const Input = (schema: z.ZodType): ParameterDecorator => InputParam({ schema });

/** Parses `value` with `schema`, throwing a 400 that names every bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) =>
    i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
  );
  throw new BadRequestException(problems.join('; '));
}
