import { v7 as timeOrderedUuid } from 'uuid';
import type { PendingAppend } from './audit-entry.js';
import { chainHash } from './chain-hash.js';
import type { ChainHeadState, EventToStore } from './event-writer.js';

/** The patients an event names, as chained: each once, in code-unit order (not a collation's). */
const canonicalPatients = (ids: readonly string[]) => [...new Set(ids)].sort();

/**
 * Links a batch of appends to the chain head, one hash per event. Runs under the chain-head lock,
 * in whichever thread holds it.
 */
export function chainEvents(head: ChainHeadState, batch: readonly PendingAppend[]): EventToStore[] {
  let seq = head.seq;
  let prevHash = head.hash;
  const events: EventToStore[] = [];
  for (const { entries, at } of batch) {
    for (const entry of entries) {
      seq += 1;
      // Time-ordered ids: each event lands at the end of the id index instead of on a random page.
      const content = {
        seq,
        id: timeOrderedUuid(),
        at,
        actorId: entry.actorId,
        role: entry.role,
        patientIds: canonicalPatients(entry.patientIds),
        fields: entry.fields,
        decision: entry.decision,
        reason: entry.reason,
        emergencyAccessId: entry.emergencyAccessId,
        operationName: entry.operationName,
        clientName: entry.clientName,
        requestId: entry.requestId,
        clientRequestId: entry.clientRequestId ?? null,
        rulesVersion: entry.rulesVersion ?? null,
        filters: entry.filters ?? null,
        prevHash,
      };
      const hash = chainHash(content);
      events.push({ ...content, hash });
      prevHash = hash;
    }
  }
  return events;
}
