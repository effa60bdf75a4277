import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';

/** The answer {@link TokenGuard} gives a change without the token, for the OpenAPI document. */
export const TOKEN_REQUIRED = {
  401: 'REGISTRY_TOKEN is set and `Authorization: Bearer <token>` is missing or wrong.',
};

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const digest = (value: string) => createHash('sha256').update(value).digest();

/** With REGISTRY_TOKEN set, every mutation needs `Authorization: Bearer <token>`; reads stay open. */
@Injectable()
export class TokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.expected = config.REGISTRY_TOKEN ? digest(config.REGISTRY_TOKEN) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.expected || READS.has(request.method)) return true;
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    // Comparing digests keeps the comparison constant-time whatever the token's length.
    if (scheme?.toLowerCase() === 'bearer' && token && timingSafeEqual(digest(token), this.expected))
      return true;
    throw new UnauthorizedException('a valid bearer token is required for changes');
  }
}
