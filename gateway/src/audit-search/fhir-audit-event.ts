import type { AuditEventRecord } from '../audit-store/audit-log.js';

/**
 * An audit event as a FHIR R4 AuditEvent, after IHE Basic Audit Log Patterns (BALP) where it fits:
 * a RESTful operation (type `rest`) whose subtype says read, operation (a mutation) or search (the
 * privacy officer's searches and exports of the log); action R for reads, E for the rest; outcome
 * 0 (success) for ALLOW and 4 (minor failure: refused) for DENY; the reader as the requesting agent
 * (who, role); one entity per patient (role Patient) with the fields read; the request id (BALP's
 * XrequestId entity), the rules version and a search's query as entities of their own; the gateway
 * as the source observer.
 */
export type FhirAuditEvent = Record<string, unknown> & { resourceType: 'AuditEvent'; id: string };

const CLINIC = 'urn:clinic-federation';
const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const BALP_ENTITY_TYPE = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** Fields the privacy officer's searches and exports of the log are recorded under. */
const isLogSearch = (e: AuditEventRecord) => e.filters !== null;
const isWrite = (e: AuditEventRecord) => e.fields.some((f) => f.startsWith('Mutation.'));

function subtypeOf(e: AuditEventRecord): { code: string; display: string } {
  if (isLogSearch(e)) return { code: 'search', display: 'search' };
  if (isWrite(e)) return { code: 'operation', display: 'operation' };
  return { code: 'read', display: 'read' };
}

function agentOf(e: AuditEventRecord): Record<string, unknown> {
  const who = !e.actorId
    ? { display: 'unauthenticated caller' }
    : e.role === 'PATIENT'
      ? { reference: `Patient/${e.actorId}` }
      : { identifier: { system: `${CLINIC}:employee`, value: e.actorId } };
  return {
    who,
    ...(e.role ? { role: [{ coding: [{ system: `${CLINIC}:role`, code: e.role }], text: e.role }] } : {}),
    requestor: true,
  };
}

const detail = (type: string, value: string | null) => (value === null ? [] : [{ type, valueString: value }]);

export function toFhirAuditEvent(e: AuditEventRecord): FhirAuditEvent {
  const subtype = subtypeOf(e);
  const entity: Record<string, unknown>[] = e.patientIds.map((patientId) => ({
    what: { reference: `Patient/${patientId}` },
    type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    detail: [{ type: 'fields', valueString: e.fields.join(' ') }],
  }));
  if (e.requestId) {
    entity.push({
      what: { identifier: { value: e.requestId } },
      type: { system: BALP_ENTITY_TYPE, code: 'XrequestId', display: 'X-Request-Id' },
      detail: [...detail('clientRequestId', e.clientRequestId), ...detail('operationName', e.operationName), ...detail('clientName', e.clientName)],
    });
  }
  if (e.rulesVersion) {
    entity.push({
      what: { identifier: { system: `${CLINIC}:rules-version`, value: e.rulesVersion } },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '13', display: 'Security Resource' },
      description: 'the version of the permission rules that decided',
    });
  }
  if (e.filters) {
    entity.push({
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
      query: Buffer.from(e.filters, 'utf8').toString('base64'),
      detail: [{ type: 'fields', valueString: e.fields.join(' ') }],
    });
  }
  if (e.patientIds.length === 0 && !e.filters && e.fields.length > 0) {
    entity.push({ type: { system: ENTITY_TYPE, code: '2', display: 'System Object' }, detail: [{ type: 'fields', valueString: e.fields.join(' ') }] });
  }
  return {
    resourceType: 'AuditEvent',
    id: e.id,
    type: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: RESTFUL_INTERACTION, ...subtype }],
    action: subtype.code === 'read' ? 'R' : 'E',
    recorded: e.at.toISOString(),
    outcome: e.decision === 'ALLOW' ? '0' : '4',
    ...(e.decision === 'DENY' ? { outcomeDesc: `refused: ${e.reason ?? 'DENY'}` } : {}),
    ...(e.emergencyAccessId
      ? { purposeOfEvent: [{ coding: [{ system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }], text: `emergency access ${e.emergencyAccessId}` }] }
      : {}),
    agent: [agentOf(e)],
    source: {
      site: 'clinic-federation',
      observer: { display: 'clinic-federation gateway' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length ? { entity } : {}),
  };
}
