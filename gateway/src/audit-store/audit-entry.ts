/**
 * What a request reports about one decision: one event naming every patient it applied to (the
 * FHIR AuditEvent model: one event, many entities). A request writes one per decision group
 * (patients whose decision, reason, fields and emergency access are equal).
 */
export interface AuditEntry {
  actorId: string | null;
  role: string | null;
  decision: 'ALLOW' | 'DENY';
  reason: string | null;
  fields: string[];
  emergencyAccessId: string | null;
  patientIds: string[];
  operationName: string | null;
  clientName: string | null;
  requestId: string | null;
  clientRequestId?: string | null;
  /** The version of the compiled rules that decided (CompiledPolicy.version). */
  rulesVersion?: string | null;
  /** For the privacy officer's searches and exports of the log: what they asked for, as canonical JSON. */
  filters?: string | null;
}

/** One request's entries as group commit hands them to a writer: appended next to each other. */
export interface PendingAppend {
  entries: readonly AuditEntry[];
  at: Date;
}
