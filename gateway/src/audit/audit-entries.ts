import type { AuditEntry } from '../audit-store/audit-log.js';
import type { Viewer } from '../identity/viewer.js';
import type { AccessGroup } from './access-recorder.js';

/** Who asked, and through which request: the same for every event of a request. */
export interface RequestFacts {
  viewer: Viewer;
  operationName: string | null;
  clientName: string | null;
  requestId: string;
}

/**
 * Names the caller chooses are stored cut to this length: an audit event must always fit its
 * columns (varchar(255) in PostgreSQL), or the read it records could not be served.
 */
const STORED_NAME_LENGTH = 100;
const stored = (name: string | null) => (name ? name.slice(0, STORED_NAME_LENGTH) : null);

/** Audit entries for a request's decisions, each with the emergency access it ran under, if any. */
export function auditEntries(groups: readonly AccessGroup[], facts: RequestFacts, emergencyAccessOf: (patientId: string) => string | null): AuditEntry[] {
  return groups.map((group) => ({
    actorId: facts.viewer.id,
    role: facts.viewer.role,
    patientId: group.patientId,
    fields: group.fields,
    decision: group.decision,
    reason: group.reason,
    emergencyAccessId: emergencyAccessOf(group.patientId),
    operationName: stored(facts.operationName),
    clientName: stored(facts.clientName),
    requestId: facts.requestId,
  }));
}
