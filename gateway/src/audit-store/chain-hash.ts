import { createHash } from 'node:crypto';

/** The `prevHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers: every column but the hash itself, in a fixed order. */
export interface ChainedContent {
  seq: number;
  id: string;
  at: Date;
  actorId?: string | null;
  role?: string | null;
  patientId?: string | null;
  fields: string[];
  decision: string;
  reason?: string | null;
  emergencyAccessId?: string | null;
  operationName?: string | null;
  clientName?: string | null;
  requestId?: string | null;
  prevHash: string;
}

/** SHA-256 over a canonical JSON array of the event's content and the previous hash. */
export function chainHash(e: ChainedContent): string {
  const canonical = JSON.stringify([
    e.seq, e.id, e.at.toISOString(), e.actorId ?? null, e.role ?? null, e.patientId ?? null, e.fields, e.decision, e.reason ?? null,
    e.emergencyAccessId ?? null, e.operationName ?? null, e.clientName ?? null, e.requestId ?? null, e.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
