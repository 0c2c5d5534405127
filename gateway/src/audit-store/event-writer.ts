import type { PendingAppend } from './audit-entry.js';

/** An audit event as the writers store it: its content, its patients (sorted) and its links. */
export interface EventToStore {
  seq: number;
  id: string;
  at: Date;
  actorId: string | null;
  role: string | null;
  patientIds: readonly string[];
  fields: readonly string[];
  decision: string;
  reason: string | null;
  emergencyAccessId: string | null;
  operationName: string | null;
  clientName: string | null;
  requestId: string | null;
  clientRequestId: string | null;
  rulesVersion: string | null;
  filters: string | null;
  prevHash: string;
  hash: string;
}

/** The last link of the chain as committed. */
export interface ChainHeadState {
  seq: number;
  hash: string;
}

/**
 * Appends events to the chain on the audit store's own connection, with statements prepared once
 * and reused by every append (no SQL text is built per request).
 */
export interface AuditEventWriter {
  /**
   * One transaction: locks the chain head (every replica's appends wait for it), links the batch's
   * events to it (chainEvents), stores them, moves the head and commits. Any failure rolls back
   * everything.
   */
  append(batch: readonly PendingAppend[]): Promise<void>;
  /** Indexes by patient and by field every event appended so far (event-lookups.ts); the writers also do it on their own, in batches. */
  indexLookups(): Promise<void>;
  close(): Promise<void>;
}

export function auditStoreClosed(): Error {
  return new Error('audit log: the audit store is closed');
}
