import type { AuditEntry } from '../audit-store/audit-log.js';
import type { Viewer } from '../identity/viewer.js';
import type { AccessGroup } from './access-recorder.js';

/** Who asked, and through which request: the same for every event of a request. */
export interface RequestFacts {
  viewer: Viewer;
  operationName: string | null;
  clientName: string | null;
  requestId: string;
  clientRequestId?: string | null;
}

/**
 * Names the caller chooses are stored cut to this length: an audit event must always fit its
 * columns (varchar(255) in PostgreSQL), or the read it records could not be served.
 */
const STORED_NAME_LENGTH = 100;
const stored = (name: string | null | undefined) => (name ? name.slice(0, STORED_NAME_LENGTH) : null);

/**
 * A request's audit entries: one per decision group, naming every patient whose decision, reason,
 * fields and emergency access are the same (a 100-patient list read is one event, not 100).
 * Groups keep the order in which their first patient was decided.
 */
export function auditEntries(groups: readonly AccessGroup[], facts: RequestFacts, emergencyAccessOf: (patientId: string) => string | null): AuditEntry[] {
  const byDecision = new Map<string, AuditEntry>();
  for (const group of groups) {
    const emergencyAccessId = emergencyAccessOf(group.patientId);
    // Field coordinates and ids hold no control characters: \u0000 cannot occur inside a part.
    const key = `${group.decision}\u0000${group.reason ?? ''}\u0000${emergencyAccessId ?? ''}\u0000${group.fields.join('\u0000')}`;
    const entry = byDecision.get(key);
    if (entry) {
      entry.patientIds.push(group.patientId);
      continue;
    }
    byDecision.set(key, {
      actorId: facts.viewer.id,
      role: facts.viewer.role,
      decision: group.decision,
      reason: group.reason,
      fields: group.fields,
      emergencyAccessId,
      patientIds: [group.patientId],
      operationName: stored(facts.operationName),
      clientName: stored(facts.clientName),
      requestId: facts.requestId,
      clientRequestId: stored(facts.clientRequestId),
    });
  }
  return [...byDecision.values()];
}
