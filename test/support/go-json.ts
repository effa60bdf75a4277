/**
 * A strict stand-in for Go's encoding/json decoding into the Consul API's structs: a field of the
 * wrong JSON type fails (a string Port, a null Tags), as it fails (or silently zeroes) in a Go client.
 * Fields the type does not name are ignored, as Go ignores them.
 */
export type GoType =
  'string' | 'int' | 'bool' | 'any' | { list: GoType } | { map: GoType } | { struct: Record<string, GoType> };

export function decodeGo(value: unknown, type: GoType, at = '$'): void {
  const fail = (wanted: string) => {
    throw new Error(`${at}: want ${wanted}, got ${JSON.stringify(value)}`);
  };
  if (type === 'any') return;
  if (type === 'string') return void (typeof value === 'string' || fail('a string'));
  if (type === 'int') return void (Number.isInteger(value) || fail('an integer'));
  if (type === 'bool') return void (typeof value === 'boolean' || fail('a boolean'));
  if (value === null || typeof value !== 'object') return fail('list' in type ? 'a list' : 'an object');
  if ('list' in type) {
    if (!Array.isArray(value)) return fail('a list');
    return value.forEach((item, i) => decodeGo(item, type.list, `${at}[${i}]`));
  }
  if (Array.isArray(value)) return fail('an object');
  const record = value as Record<string, unknown>;
  if ('map' in type) {
    for (const [key, item] of Object.entries(record)) decodeGo(item, type.map, `${at}.${key}`);
    return;
  }
  for (const [key, field] of Object.entries(type.struct)) {
    if (!(key in record)) throw new Error(`${at}.${key}: missing`);
    decodeGo(record[key], field, `${at}.${key}`);
  }
}

const strings = { map: 'string' } as const;
const weights = { struct: { Passing: 'int', Warning: 'int' } } as const;

/** hashicorp/consul api.ServiceEntry, with the fields Prometheus and Traefik read. */
export const SERVICE_ENTRY: GoType = {
  struct: {
    Node: {
      struct: {
        ID: 'string',
        Node: 'string',
        Address: 'string',
        Datacenter: 'string',
        TaggedAddresses: strings,
        Meta: strings,
        CreateIndex: 'int',
        ModifyIndex: 'int',
      },
    },
    Service: {
      struct: {
        ID: 'string',
        Service: 'string',
        Tags: { list: 'string' },
        Address: 'string',
        Port: 'int',
        Meta: strings,
        Weights: weights,
        EnableTagOverride: 'bool',
      },
    },
    Checks: {
      list: {
        struct: {
          Node: 'string',
          CheckID: 'string',
          Name: 'string',
          Status: 'string',
          Output: 'string',
          ServiceID: 'string',
          ServiceName: 'string',
          Type: 'string',
        },
      },
    },
  },
};

/** api.CatalogService. */
export const CATALOG_SERVICE: GoType = {
  struct: {
    ID: 'string',
    Node: 'string',
    Address: 'string',
    Datacenter: 'string',
    TaggedAddresses: strings,
    NodeMeta: strings,
    ServiceID: 'string',
    ServiceName: 'string',
    ServiceAddress: 'string',
    ServiceTags: { list: 'string' },
    ServiceMeta: strings,
    ServicePort: 'int',
    ServiceWeights: weights,
    ServiceEnableTagOverride: 'bool',
  },
};

/** `/v1/catalog/services`: map[string][]string. */
export const CATALOG_SERVICES: GoType = { map: { list: 'string' } };

/** `/v1/agent/self`: map[string]map[string]interface{}. */
export const AGENT_SELF: GoType = { map: { map: 'any' } };
