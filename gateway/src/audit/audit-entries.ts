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
    operationName: facts.operationName,
    clientName: facts.clientName ? facts.clientName.slice(0, 100) : null,
    requestId: facts.requestId,
  }));
}
