import { randomUUID } from 'node:crypto';
import { guard } from '@app/dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import {
  type Instance,
  type InstanceChanges,
  DEFAULT_CHECK,
  instanceId,
  type Registration,
  registeredStatus,
  registeredTtl,
  WEIGHT,
} from '../../instances/instance';
import { planPrunes } from '../../instances/prune-plan';
import { afterCheck, type CheckOutcome } from '../check-transition';
import {
  type ChangeIndex,
  ChangedMeanwhileError,
  type Fence,
  InstanceStore,
  type RoundChanges,
  type RoundPolicy,
  type UpdateOptions,
} from '../registry-store';
import { KEYS } from './registry-table';
import { fencedTransact, fenceCheck, reasonCodes, type TransactItem, transact } from './transact';

/** Items of one transaction besides its fence and index bump (DynamoDB allows 100 in all). */
const CHUNK = 98;
/** Tries of a chunk whose items other writers changed meanwhile (those are dropped at each try). */
const CHUNK_TRIES = 3;

/** An instance's item: `rev` changes with every write to it (a conditional write compares it). */
type Item = Instance & { pk: string; sk: string; rev?: string };
const byServiceThenAge = (a: Instance, b: Instance) =>
  a.service_name.localeCompare(b.service_name) ||
  a.registered_at - b.registered_at ||
  a.id.localeCompare(b.id);
// Items written before weights, maintenance and check types existed have none of those attributes.
const toInstance = ({ pk: _pk, sk: _sk, ...instance }: Item): Instance => ({
  ...instance,
  weight: instance.weight ?? WEIGHT.default,
  maintenance: instance.maintenance ?? null,
  check: instance.check ?? DEFAULT_CHECK,
  ttl: instance.ttl ?? null,
});

/** One write a round wants: the record after its check, or its prune, and whether a watcher sees it. */
interface RoundWrite {
  before: Instance;
  after: Instance;
  prune: boolean;
  visible: boolean;
}

/**
 * The membership on DynamoDB: one item per instance under `svc#<service>`, read with ConsistentRead;
 * every change is a transaction with the change index's bump (registrations also add the service's
 * name to the index item, which is how `all()` finds every service without a scan or a GSI).
 */
export class DynamoInstances extends InstanceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly index: ChangeIndex,
  ) {
    super();
  }

  async find(serviceName: string, id: string): Promise<Instance | undefined> {
    const { Item } = await guard(
      this.client.send(
        new GetCommand({ TableName: this.table, Key: KEYS.instance(serviceName, id), ConsistentRead: true }),
      ),
    );
    return Item && toInstance(Item as Item);
  }

  async all(): Promise<Instance[]> {
    const { Item } = await guard(
      this.client.send(new GetCommand({ TableName: this.table, Key: KEYS.index, ConsistentRead: true })),
    );
    const services = [...((Item?.services as Set<string> | undefined) ?? [])];
    const lists = await Promise.all(services.map((s) => this.query(s)));
    return lists.flat().sort(byServiceThenAge);
  }

  async byService(serviceName: string): Promise<Instance[]> {
    return (await this.query(serviceName)).sort(byServiceThenAge);
  }

  async register(
    registration: Registration,
    now = Date.now(),
  ): Promise<{ instance: Instance; created: boolean }> {
    const id = instanceId(registration.url);
    const before = await this.find(registration.service_name, id);
    const { weight = before?.weight ?? WEIGHT.default } = registration;
    const { service_name, url, http, health_path, tags, meta, check } = registration;
    const rev = randomUUID();
    const status = registeredStatus(registration);
    const instance: Instance = {
      consecutive_successes: 0,
      last_output: '',
      registered_at: now,
      maintenance: null,
      ...before,
      ...{ service_name, url, http, health_path, tags, meta, check },
      weight,
      id,
      ttl: registeredTtl(registration, now),
      status,
      consecutive_failures: 0,
      critical_since: status === 'critical' ? now : null,
      last_seen: now,
    };
    (instance as Partial<Item>).rev = rev; // as find() would read it back
    await transact(this.client, [
      {
        Update: {
          TableName: this.table,
          Key: KEYS.instance(service_name, id),
          // A re-registration refreshes the record and counts as a passing sign of life; it keeps the
          // weight unless it names one, and never ends a maintenance (an operator's choice).
          UpdateExpression:
            'SET service_name = :service, id = :id, #url = :url, http = :http, health_path = :path, tags = :tags, ' +
            'meta = :meta, #status = :status, consecutive_failures = :zero, critical_since = :since, ' +
            `weight = ${registration.weight === undefined ? 'if_not_exists(weight, :weight)' : ':weight'}, ` +
            'maintenance = if_not_exists(maintenance, :null), #check = :check, #ttl = :ttl, ' +
            'last_seen = :now, registered_at = if_not_exists(registered_at, :now), ' +
            'consecutive_successes = if_not_exists(consecutive_successes, :zero), ' +
            'last_output = if_not_exists(last_output, :empty), rev = :rev',
          ExpressionAttributeNames: { '#url': 'url', '#status': 'status', '#check': 'check', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ...{ ':service': service_name, ':id': id, ':url': url, ':http': http, ':path': health_path },
            ...{ ':tags': tags, ':meta': meta, ':status': status, ':zero': 0, ':null': null },
            ':since': instance.critical_since,
            ...{ ':now': now, ':empty': '', ':weight': weight, ':check': registration.check },
            ':ttl': instance.ttl,
            ':rev': rev,
          },
        },
      },
      this.bump(service_name),
    ]);
    this.index.changed();
    return { instance, created: !before };
  }

  async update(
    serviceName: string,
    id: string,
    changes: InstanceChanges,
    { visible = true, ifUnchanged }: UpdateOptions = {},
  ): Promise<Instance | undefined> {
    if (Object.keys(changes).length === 0) return this.find(serviceName, id);
    // A new revision: a round that read the record before this change must not write it back.
    const fields: Record<string, unknown> = { ...changes, rev: randomUUID() };
    const expected = ifUnchanged && (ifUnchanged as Partial<Item>).rev;
    const names = Object.keys(fields);
    try {
      await transact(this.client, [
        {
          Update: {
            TableName: this.table,
            Key: KEYS.instance(serviceName, id),
            // Every write to an instance gives it a new `rev`: as read means the same `rev`.
            ConditionExpression: ifUnchanged
              ? `attribute_exists(pk) AND ${expected === undefined ? 'attribute_not_exists(rev)' : 'rev = :expected'}`
              : 'attribute_exists(pk)',
            // Attribute names by placeholder: `status` is one of DynamoDB's reserved words.
            UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
            ExpressionAttributeValues: {
              ...Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])),
              ...(expected !== undefined && { ':expected': expected }),
            },
          },
        },
        ...(visible ? [this.bump()] : []),
      ]);
    } catch (error) {
      if (reasonCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
      if (ifUnchanged && (await this.find(serviceName, id))) throw new ChangedMeanwhileError(serviceName, id);
      return undefined;
    }
    if (visible) this.index.changed();
    return this.find(serviceName, id);
  }

  async deregister(serviceName: string, id: string): Promise<boolean> {
    try {
      await transact(this.client, [
        {
          Delete: {
            TableName: this.table,
            Key: KEYS.instance(serviceName, id),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        this.bump(),
      ]);
    } catch (error) {
      if (reasonCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
    this.index.changed();
    return true;
  }

  async applyRound(
    outcomes: CheckOutcome[],
    policy: RoundPolicy,
    probedAt: number,
    fence: Fence,
    now = Date.now(),
  ): Promise<RoundChanges> {
    const current = await this.all();
    const writes = this.plan(current, outcomes, policy.HEALTH_SUCCESSES_BEFORE_PASSING, probedAt, now);
    const failed = writes.filter((w) => w.after.consecutive_failures > w.before.consecutive_failures);
    const members = (service: string) => current.filter((i) => i.service_name === service).length;
    const { prune, massFailures } = planPrunes(
      failed.map((w) => w.after),
      members,
      policy,
      now,
    );
    const pruning = new Set(prune.map((i) => `${i.service_name}/${i.id}`));
    for (const write of writes) {
      if (!pruning.has(`${write.after.service_name}/${write.after.id}`)) continue;
      write.prune = true;
      write.visible = true;
    }
    const written = await this.write(writes, fence);
    return { pruned: written.filter((w) => w.prune).map((w) => w.after), massFailures };
  }

  async applyRecheck(
    outcomes: CheckOutcome[],
    successesBeforePassing: number,
    probedAt: number,
    fence: Fence,
    now = Date.now(),
  ): Promise<Instance[]> {
    const writes = this.plan(await this.all(), outcomes, successesBeforePassing, probedAt, now);
    const written = await this.write(writes, fence);
    return written.filter((w) => w.visible && w.after.status === 'passing').map((w) => w.after);
  }

  /** The writes the outcomes ask for (see afterCheck): only the records they change. */
  private plan(
    current: Instance[],
    outcomes: CheckOutcome[],
    successes: number,
    probedAt: number,
    now: number,
  ): RoundWrite[] {
    const records = new Map(current.map((i) => [`${i.service_name}/${i.id}`, i]));
    return outcomes.flatMap((outcome) => {
      const before = records.get(`${outcome.service_name}/${outcome.id}`);
      const after = before && afterCheck(before, outcome, successes, probedAt, now);
      if (!before || !after) return [];
      return [{ before, after, prune: false, visible: after.status !== before.status }];
    });
  }

  /**
   * Writes a round's changes in fenced transactions of at most CHUNK items, each conditioned on the
   * record being as it was read (a re-registration or a deregistration meanwhile wins: that item is
   * dropped and the rest retried). Returns the writes made.
   */
  private async write(writes: RoundWrite[], fence: Fence): Promise<RoundWrite[]> {
    const made: RoundWrite[] = [];
    for (let from = 0; from < writes.length; from += CHUNK) {
      let chunk = writes.slice(from, from + CHUNK);
      for (let attempt = 1; chunk.length > 0; attempt++) {
        const visible = chunk.some((w) => w.visible);
        const items = [fenceCheck(this.table, fence.epoch), ...chunk.map((w) => this.item(w))];
        const refused = await fencedTransact(
          this.client,
          visible ? [...items, this.bump()] : items,
          fence.epoch,
        );
        if (refused.length === 0) {
          made.push(...chunk);
          if (visible) this.index.changed();
          break;
        }
        if (attempt >= CHUNK_TRIES) break; // changed under us each time: the next round sees them afresh
        const gone = new Set(refused.map((i) => i - 1));
        chunk = chunk.filter((_, i) => !gone.has(i));
      }
    }
    return made;
  }

  private item({ before, after, prune }: RoundWrite): TransactItem {
    const Key = KEYS.instance(after.service_name, after.id);
    // As read: no re-registration (last_seen, registered_at) and no update (rev) since.
    const rev = (before as Partial<Item>).rev;
    const unchanged = {
      ConditionExpression: `last_seen = :seen AND registered_at = :registered AND ${rev === undefined ? 'attribute_not_exists(rev)' : 'rev = :rev'}`,
      ExpressionAttributeValues: {
        ':seen': before.last_seen,
        ':registered': before.registered_at,
        ...(rev !== undefined && { ':rev': rev }),
      },
    };
    if (prune) return { Delete: { TableName: this.table, Key, ...unchanged } };
    return { Put: { TableName: this.table, Item: { ...Key, ...after, rev: randomUUID() }, ...unchanged } };
  }

  /** The change index's bump, adding `service` to the names it keeps. */
  private bump(service?: string): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: KEYS.index,
        UpdateExpression: `SET #value = if_not_exists(#value, :one) + :one${service ? ' ADD services :service' : ''}`,
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1, ...(service && { ':service': new Set([service]) }) },
      },
    };
  }

  private async query(serviceName: string): Promise<Instance[]> {
    const items: Instance[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': KEYS.service(serviceName) },
        ConsistentRead: true,
      },
    );
    await guard(
      (async () => {
        for await (const page of pages) items.push(...((page.Items ?? []) as Item[]).map(toInstance));
      })(),
    );
    return items;
  }
}
