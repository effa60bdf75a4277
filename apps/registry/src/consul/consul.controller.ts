import { ApiResponses, ApiSummary, Input, Returns } from '@app/http';
import { Controller, Get, Header, UseGuards, UseInterceptors } from '@nestjs/common';
import { ConsulAclGuard } from './consul-acl.guard';
import { ConsulCatalog } from './consul-catalog';
import { ConsulReadInterceptor } from './consul-read.interceptor';
import { consulQuerySchema, consulServiceQuery } from './dto/consul-query.schema';
import { z } from 'zod';
import {
  consulAgentSelf,
  type ConsulAgentSelf,
  consulCatalogService,
  type ConsulCatalogService,
  consulNode,
  type ConsulNode,
  consulServiceEntry,
  type ConsulServiceEntry,
  consulServices,
} from './dto/consul.view';

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
  @ApiSummary('This agent, as Consul describes one')
  @Returns(consulAgentSelf)
  agentSelf(@Input(consulQuerySchema) _query: Query): Promise<ConsulAgentSelf> {
    return this.catalog.agentSelf();
  }

  @Get('catalog/datacenters')
  @ApiSummary("The datacenters (this registry's one)")
  @Returns(z.array(z.string()))
  datacenters(@Input(consulQuerySchema) _query: Query): string[] {
    return this.catalog.datacenters();
  }

  @Get('status/leader')
  @ApiSummary("The leader's address (this registry)")
  @Returns(z.string().meta({ description: "The leader's `host:port`, as a JSON string" }))
  // Sent as made: a string answer would otherwise go out as text, unquoted.
  @Header('content-type', 'application/json; charset=utf-8')
  leader(@Input(consulQuerySchema) _query: Query): string {
    return JSON.stringify(this.catalog.leader());
  }

  @Get('catalog/services')
  @ApiSummary('Every service with its tags')
  @Returns(consulServices)
  services(@Input(consulQuerySchema) query: Query): Promise<Record<string, string[]>> {
    return this.catalog.services(query);
  }

  @Get('catalog/nodes')
  @ApiSummary('The nodes (hosts) instances run on')
  @Returns(z.array(consulNode))
  nodes(@Input(consulQuerySchema) query: Query): Promise<ConsulNode[]> {
    return this.catalog.nodes(query);
  }

  @Get('catalog/service/:name')
  @ApiSummary("A service's instances, as Consul's catalog lists them")
  @Returns(z.array(consulCatalogService))
  catalogService(@Input(consulServiceQuery) query: ServiceQuery): Promise<ConsulCatalogService[]> {
    return this.catalog.catalogService(query.name, query);
  }

  @Get('health/service/:name')
  @ApiSummary("A service's instances with their checks, as Consul's health API lists them")
  @Returns(z.array(consulServiceEntry))
  healthService(@Input(consulServiceQuery) query: ServiceQuery): Promise<ConsulServiceEntry[]> {
    return this.catalog.healthService(query.name, query);
  }
}
