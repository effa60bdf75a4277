import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { useInputMessages } from './input-messages';
import { InputValidationPipe } from './input-validation.pipe';

useInputMessages(); // wherever inputs are validated, with the one pipe below

/**
 * {@link InputValidationPipe} (Nest's Standard Schema pipe, with two savings; zod 4 is a Standard Schema
 * library), which every app registers as its `APP_PIPE`: it validates each parameter given a `schema`,
 * {@link Input}'s included, and answers a 400 naming every bad field (`field: problem`, joined with
 * "; " by the error filter).
 */
export const inputValidation = new InputValidationPipe({ validateCustomDecorators: true });

const RequestInput = createParamDecorator((_data: unknown, ctx: ExecutionContext): object => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const body = request.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new BadRequestException('body must be a JSON object or a form');
  }
  return { ...(request.query as object), ...(body as object | undefined), ...(request.params as object) };
});

/**
 * The route's input, validated by `schema`: the query string, the body (JSON or form) and the path
 * parameters merged, later ones winning, so the seed's httpie calls work in any of those forms.
 */
export const Input = (schema: z.ZodType): ParameterDecorator => RequestInput({ schema });
