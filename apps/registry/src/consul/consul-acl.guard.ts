import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken, RegistryToken } from '../auth/token.guard';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';

/**
 * Consul's ACL token on `/v1` reads: `X-Consul-Token`, `?token=` or `Authorization: Bearer`, all the
 * same credential, checked against REGISTRY_TOKEN. No token is an anonymous read (reads are open); a
 * wrong one is Consul's `403 ACL not found`, so a misconfigured client fails loudly.
 */
@Injectable()
export class ConsulAclGuard implements CanActivate {
  private readonly token: RegistryToken;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.token = new RegistryToken(config.REGISTRY_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['x-consul-token'];
    const query = (request.query as { token?: unknown }).token;
    const offered = [
      typeof header === 'string' ? header : undefined,
      typeof query === 'string' ? query : undefined,
      bearerToken(request),
    ];
    for (const token of offered) {
      if (token !== undefined && token !== '' && this.token.required && !this.token.matches(token)) {
        throw new ForbiddenException('ACL not found');
      }
    }
    return true;
  }
}
