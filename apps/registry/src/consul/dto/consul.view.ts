import { z } from 'zod';

// Consul's own spelling (PascalCase) and shapes, so its clients read these answers unchanged.
const index = z.number().int().min(0);
const strings = z.record(z.string(), z.string());
const weights = z.object({ Passing: z.number().int(), Warning: z.number().int() });

/** Consul's `Node`: one per host an instance runs on. */
export const consulNode = z
  .object({
    ID: z.string(),
    Node: z.string(),
    Address: z.string(),
    Datacenter: z.string(),
    TaggedAddresses: strings,
    Meta: strings,
    CreateIndex: index,
    ModifyIndex: index,
  })
  .meta({ id: 'ConsulNode' });
export type ConsulNode = z.infer<typeof consulNode>;

/** Consul's `AgentService` as `/v1/health/service` nests it. */
const consulService = z.object({
  ID: z.string(),
  Service: z.string(),
  Tags: z.array(z.string()),
  Address: z.string(),
  Port: z.number().int(),
  Meta: strings,
  Weights: weights,
  EnableTagOverride: z.boolean(),
  CreateIndex: index,
  ModifyIndex: index,
});

/**
 * Consul's `HealthCheck`: the registry's check of an instance, and Consul's maintenance check
 * (`_service_maintenance:<id>`, critical) while it is in maintenance.
 */
const consulCheck = z.object({
  Node: z.string(),
  CheckID: z.string(),
  Name: z.string(),
  Status: z.enum(['passing', 'critical']),
  Notes: z.string(),
  Output: z.string(),
  ServiceID: z.string(),
  ServiceName: z.string(),
  ServiceTags: z.array(z.string()),
  Type: z.enum(['http', 'tcp', 'ttl', 'maintenance']),
  CreateIndex: index,
  ModifyIndex: index,
});
export type ConsulCheck = z.infer<typeof consulCheck>;

/** One entry of `/v1/health/service/:name`. */
export const consulServiceEntry = z
  .object({ Node: consulNode, Service: consulService, Checks: z.array(consulCheck) })
  .meta({ id: 'ConsulServiceEntry' });
export type ConsulServiceEntry = z.infer<typeof consulServiceEntry>;

/** One row of `/v1/catalog/service/:name`: node and service flattened, as Consul's `CatalogService`. */
const { ID, Node, Address, Datacenter, TaggedAddresses } = consulNode.shape;
export const consulCatalogService = z
  .object({
    ID,
    Node,
    Address,
    Datacenter,
    TaggedAddresses,
    NodeMeta: strings,
    ServiceID: z.string(),
    ServiceName: z.string(),
    ServiceAddress: z.string(),
    ServiceTags: z.array(z.string()),
    ServiceMeta: strings,
    ServicePort: z.number().int(),
    ServiceWeights: weights,
    ServiceEnableTagOverride: z.boolean(),
    CreateIndex: index,
    ModifyIndex: index,
  })
  .meta({ id: 'ConsulCatalogService' });
export type ConsulCatalogService = z.infer<typeof consulCatalogService>;

/** `/v1/agent/self`: the parts of Consul's agent description its clients read. */
export const consulAgentSelf = z
  .object({
    Config: z.object({
      Datacenter: z.string(),
      PrimaryDatacenter: z.string(),
      NodeName: z.string(),
      NodeID: z.string(),
      Server: z.boolean(),
      Version: z.string(),
    }),
    Member: z.object({
      Name: z.string(),
      Addr: z.string(),
      Port: z.number().int(),
      Tags: strings,
      Status: z.number().int(),
    }),
    Meta: strings,
  })
  .meta({ id: 'ConsulAgentSelf' });
export type ConsulAgentSelf = z.infer<typeof consulAgentSelf>;

/** `/v1/catalog/services`: each service name with the tags its instances carry. */
export const consulServices = z.record(z.string(), z.array(z.string())).meta({ id: 'ConsulServices' });
