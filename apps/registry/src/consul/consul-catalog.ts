import { advertiseUrl } from '@app/config';
import { APP_VERSION } from '@app/discovery';
import { Inject, Injectable } from '@nestjs/common';
import { type Instance, inTraffic } from '../instances/instance';
import { InstancesService } from '../instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ChangeWatchService } from '../watch/change-watch.service';
import type { ConsulQuery } from './dto/consul-query.schema';
import type {
  ConsulAgentSelf,
  ConsulCatalogService,
  ConsulNode,
  ConsulServiceEntry,
} from './dto/consul.view';
import {
  type ConsulScope,
  hostOf,
  toConsulCatalogService,
  toConsulNode,
  toConsulServiceEntry,
} from './dto/consul.mapper';

/** What a read's filters keep: every `tag`, passing only with `passing`, nodes whose meta has every `node-meta` pair. */
type Filters = Pick<ConsulQuery, 'tag' | 'passing' | 'node-meta'>;

// Nodes carry no metadata here (Node.Meta is {}), so any node-meta filter keeps nothing.
const NODE_META: Record<string, string> = {};
const nodeMetaMatches = (pairs: string[]) =>
  pairs.every((pair) => {
    const colon = pair.indexOf(':');
    return NODE_META[pair.slice(0, colon)] === pair.slice(colon + 1);
  });

/** The registry's membership in Consul's shapes: the views behind `/v1`, read from the instances' records. */
@Injectable()
export class ConsulCatalog {
  private readonly self: { host: string; port: number };

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstancesService,
    private readonly watch: ChangeWatchService,
  ) {
    const url = new URL(advertiseUrl(config));
    this.self = { host: url.hostname, port: Number(url.port) || 80 };
  }

  /** `/v1/agent/self`: every top-level value an object, as the Go client decodes it. */
  async agentSelf(): Promise<ConsulAgentSelf> {
    const { host, port } = this.self;
    const datacenter = this.config.CONSUL_DATACENTER;
    return {
      Config: {
        Datacenter: datacenter,
        PrimaryDatacenter: datacenter,
        NodeName: host,
        NodeID: toConsulNode(host, await this.scope()).ID,
        Server: true,
        Version: APP_VERSION,
      },
      Member: {
        Name: host,
        Addr: host,
        Port: port,
        Tags: { dc: datacenter, build: `chirp:${APP_VERSION}` },
        Status: 1,
      },
      Meta: {},
    };
  }

  /** `/v1/status/leader`: this registry, which answers every read itself. */
  leader(): string {
    return `${this.self.host}:${this.self.port}`;
  }

  datacenters(): string[] {
    return [this.config.CONSUL_DATACENTER];
  }

  /** `/v1/catalog/services`: every service, passing or critical, with the union of its instances' tags. */
  async services(filters: Filters): Promise<Record<string, string[]>> {
    const services: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    const records = await this.instances.records();
    for (const instance of this.matching(records, { ...filters, tag: [], passing: false })) {
      const tags = (services[instance.service_name] ??= []);
      for (const tag of instance.tags) if (!tags.includes(tag)) tags.push(tag);
    }
    return services;
  }

  /** `/v1/health/service/:name`: the service's instances with their node and check; `[]` for an unknown name. */
  async healthService(name: string, filters: Filters): Promise<ConsulServiceEntry[]> {
    const scope = await this.scope();
    return this.matching(await this.instances.records(name), filters).map((i) =>
      toConsulServiceEntry(i, scope),
    );
  }

  /** `/v1/catalog/service/:name`: the same instances, in the same order, as flat catalog rows. */
  async catalogService(name: string, filters: Filters): Promise<ConsulCatalogService[]> {
    const scope = await this.scope();
    return this.matching(await this.instances.records(name), filters).map((i) =>
      toConsulCatalogService(i, scope),
    );
  }

  /** `/v1/catalog/nodes`: one node per host that runs an instance. */
  async nodes(filters: Filters): Promise<ConsulNode[]> {
    if (!nodeMetaMatches(filters['node-meta'])) return [];
    const scope = await this.scope();
    const hosts = [...new Set((await this.instances.records()).map(hostOf))].sort();
    return hosts.map((host) => toConsulNode(host, scope));
  }

  private matching(instances: Instance[], { tag, passing, 'node-meta': nodeMeta }: Filters): Instance[] {
    if (!nodeMetaMatches(nodeMeta)) return [];
    return instances.filter(
      (i) => (!passing || inTraffic(i)) && tag.every((wanted) => i.tags.includes(wanted)),
    );
  }

  /** Read before the records, so the index never claims a state newer than the one answered. */
  private async scope(): Promise<ConsulScope> {
    return { datacenter: this.config.CONSUL_DATACENTER, index: await this.watch.current() };
  }
}
