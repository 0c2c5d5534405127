import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * One access to a patient's information by one request: who, when, which fields, the decision.
 * Append-only; `hash` chains it to the event before it (`prevHash`), in `seq` order.
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
    patientId: p.string().nullable().index(),
    fields: p.json<string[]>(),
    decision: p.string(),
    reason: p.string().nullable(),
    emergencyAccessId: p.string().nullable(),
    operationName: p.string().nullable(),
    clientName: p.string().nullable(),
    requestId: p.string().nullable(),
    prevHash: p.string(),
    hash: p.string(),
  }),
});
export type AuditEvent = InferEntity<typeof AuditEvent>;

/** The last link of the chain; its row is locked by every append, so replicas append one at a time. */
export const AuditChainHead = defineEntity({
  name: 'AuditChainHead',
  tableName: 'audit_chain_head',
  properties: (p) => ({
    id: p.integer().primary(),
    lastSeq: p.integer(),
    lastHash: p.string(),
  }),
});
export type AuditChainHead = InferEntity<typeof AuditChainHead>;

/** "Break the glass": a duty toward one patient for a limited time, justified, reviewed as an incident. */
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
    /** For automatic entries: whose access opened it (an employee id), and the emergency access if any. */
    actorId: p.string().nullable().index(),
    emergencyAccessId: p.string().nullable(),
    createdAt: p.datetime(),
  }),
});
export type Incident = InferEntity<typeof Incident>;

export const auditStoreEntities = [AuditEvent, AuditChainHead, EmergencyAccess, Incident];
