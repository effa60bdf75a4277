import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';

/** The answer {@link TokenGuard} gives a change without the token, for the OpenAPI document. */
export const TOKEN_REQUIRED = {
  401: 'REGISTRY_TOKEN is set and `Authorization: Bearer <token>` is missing or wrong.',
};

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CHANGES_NOTHING = 'chirp:changes-nothing';

/** Marks a handler that changes nothing whatever the method (a 405 answer), so it needs no token. */
export const ChangesNothing = () => SetMetadata(CHANGES_NOTHING, true);
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * REGISTRY_TOKEN, held as a digest: comparing digests keeps the comparison constant-time whatever
 * the length of the token offered.
 */
export class RegistryToken {
  private readonly expected?: Buffer;

  constructor(token: string | undefined) {
    this.expected = token ? digest(token) : undefined;
  }

  /** Whether a token is set at all (without one, the registry is open). */
  get required(): boolean {
    return this.expected !== undefined;
  }

  matches(offered: string): boolean {
    return this.expected !== undefined && timingSafeEqual(digest(offered), this.expected);
  }
}

/** With REGISTRY_TOKEN set, every mutation needs `Authorization: Bearer <token>`; reads stay open. */
@Injectable()
export class TokenGuard implements CanActivate {
  private readonly token: RegistryToken;

  constructor(
    @Inject(REGISTRY_CONFIG) config: RegistryConfig,
    private readonly reflector: Reflector,
  ) {
    this.token = new RegistryToken(config.REGISTRY_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.token.required || READS.has(request.method)) return true;
    if (this.reflector.get<boolean>(CHANGES_NOTHING, context.getHandler())) return true;
    const token = bearerToken(request);
    if (token && this.token.matches(token)) return true;
    throw new UnauthorizedException('a valid bearer token is required for changes');
  }
}

/**
 * The token of an `Authorization: Bearer <token>` header, or the password of a Basic one (how Eureka's
 * clients carry credentials: `http://user:<token>@host/eureka/` in their serviceUrl), if the request has one.
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  if (!token) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return token;
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}
