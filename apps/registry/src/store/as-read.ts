import type { Instance, InstanceChanges } from '../instances/instance';
import { ChangedMeanwhileError, type InstanceStore, type UpdateOptions } from './registry-store';

/** How many times a read-decide-write is tried while others keep changing the record. */
const TRIES = 3;

/**
 * Reads an instance, lets `decide` choose the changes from it, and writes them only over the record as
 * read; when something changed it meanwhile (a round, a report, an operator), reads and decides again.
 * Resolves with the decision and the record after it (undefined: no such instance, or nothing to write).
 */
export async function writeAsRead<D extends { changes: InstanceChanges; options?: UpdateOptions }>(
  store: InstanceStore,
  serviceName: string,
  id: string,
  decide: (before: Instance) => D | Promise<D | undefined> | undefined,
): Promise<(D & { before: Instance; after: Instance }) | undefined> {
  for (let attempt = 1; ; attempt++) {
    const before = await store.find(serviceName, id);
    if (!before) return undefined;
    const decision = await decide(before);
    if (!decision) return undefined;
    try {
      const after = await store.update(serviceName, id, decision.changes, {
        ...decision.options,
        ifUnchanged: before,
      });
      return after && { ...decision, before, after };
    } catch (error) {
      if (!(error instanceof ChangedMeanwhileError) || attempt >= TRIES) throw error;
    }
  }
}
