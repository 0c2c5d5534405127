import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * One request's access to patients' information under one decision: who, when, which fields, the
 * decision, and which patients (`patientIds`). Append-only; `hash` chains it to the
 * event before it (`prevHash`), in `seq` order. `format` says how the hash was computed.
 */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  properties: (p) => ({
    seq: p.integer().primary(),
    id: p.string().unique(),
    at: p.datetime(),
    actorId: p.string().nullable().index(),
    role: p.string().nullable(),
    /** Format 1 only (one event per patient): the patient, also listed in `patientIds`. */
    patientId: p.string().nullable(),
    /** The patients the event names (FHIR AuditEvent.entity), sorted; `audit_event_patient` is their view, one row per patient (migration 0012). */
    patientIds: p.json<string[]>(),
    fields: p.json<string[]>(),
    decision: p.string(),
    reason: p.string().nullable(),
    emergencyAccessId: p.string().nullable(),
    operationName: p.string().nullable(),
    clientName: p.string().nullable(),
    requestId: p.string().nullable(),
    clientRequestId: p.string().nullable(),
    /** Format 3: the version of the permission rules that decided (CompiledPolicy.version). */
    rulesVersion: p.string().nullable(),
    /** Format 3, the privacy officer's searches and exports of the log: what they asked for (JSON, no value of a record). */
    filters: p.text().nullable(),
    format: p.integer(),
    prevHash: p.string(),
    hash: p.string(),
  }),
});
export type AuditEvent = InferEntity<typeof AuditEvent>;

/**
 * The events that name a patient, keyed by patient (the access log's index): one row per patient
 * and batch of the lookup, with the last event of the batch naming them and all of them (a JSON
 * array), filled after the appends up to `AuditChainHead.patientsIndexedUpto` (event-lookups.ts).
 * `audit_patient_lookup` is its view, one row per patient and event.
 */
export const AuditPatientPosting = defineEntity({
  name: 'AuditPatientPosting',
  tableName: 'audit_patient_posting',
  properties: (p) => ({
    patientId: p.string().primary(),
    lastSeq: p.integer().primary(),
    eventSeqs: p.text(),
  }),
});
export type AuditPatientPosting = InferEntity<typeof AuditPatientPosting>;

/**
 * The events that name a field, keyed by field (searches by field), filled with the patient
 * lookup, up to the same mark (event-lookups.ts).
 */
export const AuditFieldLookup = defineEntity({
  name: 'AuditFieldLookup',
  tableName: 'audit_field_lookup',
  properties: (p) => ({
    field: p.string().primary(),
    eventSeq: p.integer().primary(),
  }),
});
export type AuditFieldLookup = InferEntity<typeof AuditFieldLookup>;

/**
 * When the last repeated-refusal incident was opened for a reader: the row every detector
 * updates conditionally, so that replicas open one incident per reader and window, without a lock.
 */
export const RepeatedDenialWatch = defineEntity({
  name: 'RepeatedDenialWatch',
  tableName: 'repeated_denial_watch',
  properties: (p) => ({
    actorId: p.string().primary(),
    incidentOpenedAt: p.datetime(),
  }),
});
export type RepeatedDenialWatch = InferEntity<typeof RepeatedDenialWatch>;

/** The last link of the chain; its row is locked by every append, so replicas append one at a time. */
export const AuditChainHead = defineEntity({
  name: 'AuditChainHead',
  tableName: 'audit_chain_head',
  properties: (p) => ({
    id: p.integer().primary(),
    lastSeq: p.integer(),
    lastHash: p.string(),
    /** The lookups by patient and by field hold every event up to this one (event-lookups.ts). */
    patientsIndexedUpto: p.integer().default(0),
  }),
});
export type AuditChainHead = InferEntity<typeof AuditChainHead>;

/** "Break the glass": a duty toward one patient for a limited time, justified, reviewed by the privacy officer (review queue). */
export const EmergencyAccess = defineEntity({
  name: 'EmergencyAccess',
  tableName: 'emergency_access',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    grantedTo: p.string().index(),
    role: p.string(),
    justification: p.text(),
    openedAt: p.datetime(),
    expiresAt: p.datetime(),
  }),
});
export type EmergencyAccess = InferEntity<typeof EmergencyAccess>;

/** The confidentiality incident register (Law 25, SPEC §9). */
export const Incident = defineEntity({
  name: 'Incident',
  tableName: 'incident',
  properties: (p) => ({
    id: p.string().primary(),
    kind: p.string(),
    description: p.text().nullable(),
    occurredAt: p.datetime().nullable(),
    discoveredAt: p.datetime().nullable(),
    categories: p.json<string[]>(),
    personsConcerned: p.integer().nullable(),
    seriousRisk: p.boolean().nullable(),
    caiNotifiedAt: p.datetime().nullable(),
    personsNotifiedAt: p.datetime().nullable(),
    measures: p.text().nullable(),
    status: p.string(),
    // The Commission's list (issue 14, migration 0005).
    circumstances: p.text().nullable(),
    /** The period of the incident, when it is known as one. */
    occurredFrom: p.datetime().nullable(),
    occurredTo: p.datetime().nullable(),
    /** The approximate date, in words, when no exact date or period is known ("around mid-October 2026"). */
    occurredApproximately: p.text().nullable(),
    /** The number of persons concerned is an estimate. */
    personsConcernedApproximate: p.boolean().nullable(),
    /** What the serious-risk assessment rests on (sensitivity, anticipated misuse, likelihood). */
    seriousRiskReasons: p.text().nullable(),
    publicNoticeAt: p.datetime().nullable(),
    publicNoticeReason: p.text().nullable(),
    /** For automatic entries: whose access opened it (an employee id), and the emergency access if any. */
    actorId: p.string().nullable().index(),
    emergencyAccessId: p.string().nullable(),
    createdAt: p.datetime(),
  }),
});
export type Incident = InferEntity<typeof Incident>;

/**
 * One application of the retention rules (SPEC §11) by the privacy officer. STARTED before any
 * subgraph destroys anything, COMPLETED once every subgraph answered, FAILED when one did not (its
 * destruction records say what was done before).
 */
export const RetentionRun = defineEntity({
  name: 'RetentionRun',
  tableName: 'retention_run',
  properties: (p) => ({
    id: p.string().primary(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    /** Who ran it: the staff id and role of the privacy officer (professional information). */
    runBy: p.string(),
    runByRole: p.string(),
    status: p.string(),
  }),
});
export type RetentionRun = InferEntity<typeof RetentionRun>;

/**
 * The destruction record the law asks for: what kind of item, how many, when, by whom, under which
 * rule. Counts only: no item id, owner, content or address, so it holds no personal information.
 */
export const DestructionRecord = defineEntity({
  name: 'DestructionRecord',
  tableName: 'destruction_record',
  properties: (p) => ({
    id: p.string().primary(),
    runId: p.string().index(),
    rule: p.string(),
    itemKind: p.string(),
    /** DESTROY or ANONYMIZE */
    action: p.string(),
    itemCount: p.integer(),
    /** The subgraph that destroyed the items (where they were kept). */
    source: p.string(),
    destroyedAt: p.datetime(),
    /** Who: the staff id and role of the privacy officer who ran the rules (professional information). */
    destroyedBy: p.string(),
    destroyedByRole: p.string(),
  }),
});
export type DestructionRecord = InferEntity<typeof DestructionRecord>;

/**
 * An entry of one of the append-only registers kept beside the audit log (./chained-register.ts):
 * each register is its own hash chain in `seq` order.
 */
export const RegisterEntry = defineEntity({
  name: 'RegisterEntry',
  tableName: 'register_entry',
  properties: (p) => ({
    register: p.string().primary(),
    seq: p.integer().primary(),
    id: p.string().unique(),
    at: p.datetime(),
    subjectId: p.string().nullable(),
    entry: p.json<Record<string, unknown>>(),
    prevHash: p.string(),
    hash: p.string(),
  }),
});
export type RegisterEntry = InferEntity<typeof RegisterEntry>;

/** The last link of each register's chain; locked by every append. */
export const RegisterHead = defineEntity({
  name: 'RegisterHead',
  tableName: 'register_head',
  properties: (p) => ({
    register: p.string().primary(),
    lastSeq: p.integer(),
    lastHash: p.string(),
  }),
});
export type RegisterHead = InferEntity<typeof RegisterHead>;

/**
 * The privacy officer's review queue (issue 15): something worth a look, not yet an incident. Opened
 * by the watch over allowed reads, by every emergency access and by repeated refusals; closed as
 * APPROPRIATE or MISUSE (which opens an incident, `incidentId`). `caseKey` names the case (pattern,
 * reader, patient, window): one item per case, whoever detects it and however often.
 * `trigger` says what was seen in words without personal information (ids only).
 */
export const ReviewItem = defineEntity({
  name: 'ReviewItem',
  tableName: 'review_item',
  properties: (p) => ({
    id: p.string().primary(),
    kind: p.string(),
    caseKey: p.string().unique(),
    openedAt: p.datetime(),
    actorId: p.string().nullable().index(),
    patientIds: p.json<string[]>(),
    trigger: p.text(),
    status: p.string(),
    outcome: p.string().nullable(),
    note: p.text().nullable(),
    closedBy: p.string().nullable(),
    closedAt: p.datetime().nullable(),
    emergencyAccessId: p.string().nullable(),
    /** The incident the item belongs to: the repeated-refusal incident it came with, or the one its MISUSE outcome opened. */
    incidentId: p.string().nullable(),
  }),
});
export type ReviewItem = InferEntity<typeof ReviewItem>;

/** How far the watch over allowed reads has read the audit log (the last event's `seq`). */
export const WatchCursor = defineEntity({
  name: 'WatchCursor',
  tableName: 'watch_cursor',
  properties: (p) => ({
    id: p.integer().primary(),
    lastSeq: p.integer(),
  }),
});
export type WatchCursor = InferEntity<typeof WatchCursor>;

export const auditStoreEntities = [
  AuditEvent,
  AuditPatientPosting,
  AuditFieldLookup,
  RepeatedDenialWatch,
  AuditChainHead,
  EmergencyAccess,
  Incident,
  RetentionRun,
  DestructionRecord,
  RegisterEntry,
  RegisterHead,
  ReviewItem,
  WatchCursor,
];
