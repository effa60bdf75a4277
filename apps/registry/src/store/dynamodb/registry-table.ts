import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The registry's one DynamoDB table (single-table design), keyed by `pk` and `sk`:
 * - `index`/`index`: the change index (`value`) and the names of the services ever registered
 *   (`services`, a string set), bumped in the same transaction as every change a watcher could see;
 * - `lease`/`health-checker`: the checker's lease (`holder`, `rvn`, `epoch`) and the round counter;
 * - `svc#<service>`/`<instance id>`: one instance, read with ConsistentRead on the base table;
 * - `checks#<service>`/`<checked_at>#<instance id>`: one check, newest last, gone after CHECKS_TTL_S
 *   (DynamoDB's TTL on `expires_at`; reads never look past that window either);
 * - `rounds`/`<seq>`: one round, the newest ROUNDS_KEPT kept (each finish deletes the one that falls out).
 */
export const KEYS = {
  index: { pk: 'index', sk: 'index' },
  lease: { pk: 'lease', sk: 'health-checker' },
  instance: (service: string, id: string) => ({ pk: `svc#${service}`, sk: id }),
  service: (service: string) => `svc#${service}`,
  checks: (service: string) => `checks#${service}`,
  checkSk: (checkedAt: number, instanceId: string) => `${pad(checkedAt)}#${instanceId}`,
  round: (seq: number) => ({ pk: 'rounds', sk: pad(seq) }),
};

/** How long a check stays in the history: an hour of checks is what the pages and dashboard show. */
export const CHECKS_TTL_S = 3_600;

/** Fixed-width decimal, so that keys sort as the numbers do. */
export const pad = (n: number) => String(n).padStart(15, '0');

/** The table, on demand: no capacity to plan. */
export function registryTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
}
