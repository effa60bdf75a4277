import { createHash } from 'node:crypto';
import { type Instance, instanceAddress } from '../../instances/instance';
import type { ConsulCatalogService, ConsulCheck, ConsulNode, ConsulServiceEntry } from './consul.view';

/** Where the registry sits in Consul's terms: its datacenter, and the change index every record carries. */
export interface ConsulScope {
  datacenter: string;
  index: number;
}

const nodeIds = new Map<string, string>();

/** A stable UUID-shaped node ID for a host (Consul's node IDs are UUIDs). */
function nodeId(host: string): string {
  let id = nodeIds.get(host);
  if (id === undefined) {
    const hex = createHash('sha256').update(host).digest('hex');
    id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    nodeIds.set(host, id);
  }
  return id;
}

/** The host an instance runs on: its Consul node's name and address. */
export const hostOf = (instance: Pick<Instance, 'url'>): string => instanceAddress(instance.url).host;

export const toConsulNode = (host: string, scope: ConsulScope): ConsulNode => ({
  ID: nodeId(host),
  Node: host,
  Address: host,
  Datacenter: scope.datacenter,
  TaggedAddresses: {},
  Meta: {},
  CreateIndex: scope.index,
  ModifyIndex: scope.index,
});

/** The name Consul gives the critical check that marks a service instance in maintenance. */
const MAINTENANCE_CHECK = 'Service Maintenance Mode';

/** The instance's meta, with where the registry reaches it (`url`, `health_path`) added. */
const serviceMeta = (instance: Instance): Record<string, string> => ({
  ...instance.meta,
  url: instance.url,
  health_path: instance.health_path,
});

export function toConsulServiceEntry(instance: Instance, scope: ConsulScope): ConsulServiceEntry {
  const host = hostOf(instance);
  const { port } = instanceAddress(instance.url);
  return {
    Node: toConsulNode(host, scope),
    Service: {
      ID: instance.id,
      Service: instance.service_name,
      Tags: instance.tags,
      Address: host,
      Port: port,
      Meta: serviceMeta(instance),
      // HAProxy's weight; Consul's Warning weight has no counterpart here (no warning state).
      Weights: { Passing: instance.weight, Warning: 1 },
      EnableTagOverride: false,
      CreateIndex: scope.index,
      ModifyIndex: scope.index,
    },
    Checks: [
      ...maintenanceChecks(instance, host, scope),
      {
        Node: host,
        CheckID: `service:${instance.id}`,
        Name: `Service '${instance.service_name}' check`,
        Status: instance.status,
        Notes: '',
        Output: instance.last_output,
        ServiceID: instance.id,
        ServiceName: instance.service_name,
        ServiceTags: instance.tags,
        Type: instance.check.type,
        CreateIndex: scope.index,
        ModifyIndex: scope.index,
      },
    ],
  };
}

/** Consul's `_service_maintenance:<id>` check, critical while the instance is in maintenance. */
function maintenanceChecks(instance: Instance, host: string, scope: ConsulScope): ConsulCheck[] {
  if (instance.maintenance === null) return [];
  return [
    {
      Node: host,
      CheckID: `_service_maintenance:${instance.id}`,
      Name: MAINTENANCE_CHECK,
      Status: 'critical',
      Notes: instance.maintenance.reason,
      Output: '',
      ServiceID: instance.id,
      ServiceName: instance.service_name,
      ServiceTags: instance.tags,
      Type: 'maintenance',
      CreateIndex: scope.index,
      ModifyIndex: scope.index,
    },
  ];
}

export function toConsulCatalogService(instance: Instance, scope: ConsulScope): ConsulCatalogService {
  const { Node, Service } = toConsulServiceEntry(instance, scope);
  return {
    ID: Node.ID,
    Node: Node.Node,
    Address: Node.Address,
    Datacenter: Node.Datacenter,
    TaggedAddresses: Node.TaggedAddresses,
    NodeMeta: Node.Meta,
    ServiceID: Service.ID,
    ServiceName: Service.Service,
    ServiceAddress: Service.Address,
    ServiceTags: Service.Tags,
    ServiceMeta: Service.Meta,
    ServicePort: Service.Port,
    ServiceWeights: Service.Weights,
    ServiceEnableTagOverride: Service.EnableTagOverride,
    CreateIndex: scope.index,
    ModifyIndex: scope.index,
  };
}
