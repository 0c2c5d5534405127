import { createHash } from 'node:crypto';

/** The `prevHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * How an event's hash was computed: 1 for the events written one per patient (before one event
 * could name many patients), 2 for events naming many patients, 3 since events also record the
 * version of the rules that decided them and the filters of a search of the log. Stored with each
 * event, so old events keep verifying.
 */
export const EVENT_FORMAT = { perPatient: 1, manyPatients: 2, rulesVersioned: 3 } as const;
/** The format new events are written in. */
export const CURRENT_EVENT_FORMAT = EVENT_FORMAT.rulesVersioned;
export type EventFormat = (typeof EVENT_FORMAT)[keyof typeof EVENT_FORMAT];

/** What an event's hash covers: every column but the hash itself, and the patients it names. */
export interface ChainedContent {
  seq: number;
  id: string;
  at: Date;
  actorId?: string | null;
  role?: string | null;
  /** The patients the event names, sorted (format 2), or its one patient (format 1, at most one). */
  patientIds: readonly string[];
  fields: readonly string[];
  decision: string;
  reason?: string | null;
  emergencyAccessId?: string | null;
  operationName?: string | null;
  clientName?: string | null;
  requestId?: string | null;
  clientRequestId?: string | null;
  /** Format 3. */
  rulesVersion?: string | null;
  /** Format 3. */
  filters?: string | null;
  prevHash: string;
}

/** SHA-256 over a canonical JSON array of the event's content and the previous hash. */
export function chainHash(e: ChainedContent, format: EventFormat = CURRENT_EVENT_FORMAT): string {
  const canonical =
    format === EVENT_FORMAT.perPatient
      ? JSON.stringify([
          e.seq, e.id, e.at.toISOString(), e.actorId ?? null, e.role ?? null, e.patientIds[0] ?? null, e.fields, e.decision, e.reason ?? null,
          e.emergencyAccessId ?? null, e.operationName ?? null, e.clientName ?? null, e.requestId ?? null, e.prevHash,
        ])
      : format === EVENT_FORMAT.manyPatients
        ? JSON.stringify([
            format, e.seq, e.id, e.at.toISOString(), e.actorId ?? null, e.role ?? null, e.patientIds, e.fields, e.decision, e.reason ?? null,
            e.emergencyAccessId ?? null, e.operationName ?? null, e.clientName ?? null, e.requestId ?? null, e.clientRequestId ?? null, e.prevHash,
          ])
        : JSON.stringify([
            format, e.seq, e.id, e.at.toISOString(), e.actorId ?? null, e.role ?? null, e.patientIds, e.fields, e.decision, e.reason ?? null,
            e.emergencyAccessId ?? null, e.operationName ?? null, e.clientName ?? null, e.requestId ?? null, e.clientRequestId ?? null,
            e.rulesVersion ?? null, e.filters ?? null, e.prevHash,
          ]);
  return createHash('sha256').update(canonical).digest('hex');
}
