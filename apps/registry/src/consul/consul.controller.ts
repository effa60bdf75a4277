import { ApiResponses, Input } from '@app/http';
import { Controller, Get, Header, UseGuards, UseInterceptors } from '@nestjs/common';
import type { z } from 'zod';
import { ConsulAclGuard } from './consul-acl.guard';
import { ConsulCatalog } from './consul-catalog';
import { ConsulReadInterceptor } from './consul-read.interceptor';
import { consulQuerySchema, consulServiceQuery } from './dto/consul-query.schema';
import type { ConsulCatalogService, ConsulNode, ConsulServiceEntry } from './dto/consul.mapper';

type Query = z.output<typeof consulQuerySchema>;
type ServiceQuery = z.output<typeof consulServiceQuery>;

/**
 * The read side of Consul's HTTP API over the registry's instances, so Consul's clients and tools
 * (Prometheus's consul_sd, consul-template, node-consul) work against the registry unchanged.
 */
@Controller('v1')
@UseGuards(ConsulAclGuard)
@UseInterceptors(ConsulReadInterceptor)
@ApiResponses({
  403: 'A token (X-Consul-Token, ?token= or a bearer token) was given and is not REGISTRY_TOKEN: "ACL not found".',
  429: 'REGISTRY_MAX_HELD_QUERIES blocking queries are held already.',
  500: 'dc names another datacenter: "No path to datacenter".',
})
export class ConsulController {
  constructor(private readonly catalog: ConsulCatalog) {}

  @Get('agent/self')
  agentSelf(@Input(consulQuerySchema) _query: Query): Promise<Record<string, Record<string, unknown>>> {
    return this.catalog.agentSelf();
  }

  @Get('catalog/datacenters')
  datacenters(@Input(consulQuerySchema) _query: Query): string[] {
    return this.catalog.datacenters();
  }

  @Get('status/leader')
  @Header('content-type', 'application/json; charset=utf-8')
  leader(@Input(consulQuerySchema) _query: Query): string {
    return JSON.stringify(this.catalog.leader());
  }

  @Get('catalog/services')
  services(@Input(consulQuerySchema) query: Query): Promise<Record<string, string[]>> {
    return this.catalog.services(query);
  }

  @Get('catalog/nodes')
  nodes(@Input(consulQuerySchema) query: Query): Promise<ConsulNode[]> {
    return this.catalog.nodes(query);
  }

  @Get('catalog/service/:name')
  catalogService(@Input(consulServiceQuery) query: ServiceQuery): Promise<ConsulCatalogService[]> {
    return this.catalog.catalogService(query.name, query);
  }

  @Get('health/service/:name')
  healthService(@Input(consulServiceQuery) query: ServiceQuery): Promise<ConsulServiceEntry[]> {
    return this.catalog.healthService(query.name, query);
  }
}
