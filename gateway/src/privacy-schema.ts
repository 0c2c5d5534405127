import DataLoader from 'dataloader';
import { GraphQLError, parse } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { isWellFormedId, pageSize, strictIsoDateOrInstant, type CursorSeal } from '@clinic/service-kit';
import type { AuditStore } from './audit-store/audit-store.js';
import type { AuditEventRow, AuditFilters, RowPosition } from './audit-store/audit-log.js';
import { AuditFilterProblem, checkedAuditFilters, cursorScope, recordedFilters, type RawAuditFilters } from './audit-search/audit-filters.js';
import type { CompiledPolicy } from './policy/compiled-policy.js';
import type { EmergencyAccess, Incident } from './audit-store/entities.js';
import { INCIDENT_STATUS, type IncidentFields } from './audit-store/incident-register.js';
import type { GatewayContext } from './context.js';
import { requestService } from './request-services.js';
import type { PolicyClient } from './policy/policy-client.js';
import { checkedJustification } from './validation/justification.js';

/** What the gateway itself answers (SPEC §7 to §9): audit log, emergency access, incident register. */
export const privacyTypeDefs = parse(/* GraphQL */ `
  "One access to a patient's information: who, when, which fields, the decision."
  type AuditEvent {
    id: ID!
    at: String!
    actorId: ID
    role: Role
    patientId: ID
    fields: [String!]!
    "ALLOW or DENY"
    decision: String!
    "For DENY: UNAUTHENTICATED, ROLE, NO_DUTY, RESTRICTED or MFA_REQUIRED"
    reason: String
    emergencyAccessId: ID
    operationName: String
    clientName: String
    "The gateway's id of the request (also in the x-request-id response header)."
    requestId: String
    "The id the client gave in its own x-request-id, when well-formed."
    clientRequestId: String
    "The version of the permission rules that decided (sha256:…, as policy:explain and docs/access-matrix.md show it); none on events written before rules were versioned."
    rulesVersion: String
    "For the privacy officer's own searches and exports of the log (field Query.auditLog): what they asked for, as JSON."
    filters: String
    "Opaque: pass it as auditLog(after:) with the same filters to get the rows that follow this one."
    cursor: String!
  }

  "A page of a search of the audit log: its rows, and where the next page starts."
  type AuditLogPage {
    events: [AuditEvent!]!
    "Whether rows follow this page."
    hasNextPage: Boolean!
    "The cursor of the last row: auditLogPage(after:) with the same filters gives the next page."
    endCursor: String
  }

  type AuditChainStatus {
    ok: Boolean!
    events: Int!
    "The first event whose content or link was altered."
    firstBrokenEventId: ID
  }

  "A staff member's read of the patient's record, as the patient sees it."
  type AccessLogEntry {
    at: String!
    staffName: String
    role: Role
    categories: [String!]!
  }

  type EmergencyAccess {
    id: ID!
    patientId: ID!
    grantedTo: ID!
    justification: String!
    expiresAt: String!
  }

  "An entry of the confidentiality incident register (Law 25; the Commission d'accès à l'information's list of what it holds)."
  type Incident {
    id: ID!
    "MANUAL, EMERGENCY_ACCESS or REPEATED_DENIALS"
    kind: String!
    "The personal information concerned (or why it cannot be described)."
    description: String
    "A brief description of the circumstances of the incident."
    circumstances: String
    occurredAt: String
    "The period of the incident, when known as one (from, to)."
    occurredFrom: String
    occurredTo: String
    "The approximate date, in words, when neither the date nor the period is known."
    occurredApproximately: String
    discoveredAt: String
    categories: [String!]
    personsConcerned: Int
    "personsConcerned is an estimate."
    personsConcernedApproximate: Boolean
    seriousRisk: Boolean
    "What the serious-risk assessment rests on (sensitivity of the information, anticipated misuse, likelihood)."
    seriousRiskReasons: String
    caiNotifiedAt: String
    personsNotifiedAt: String
    "When a notice to the public was given."
    publicNoticeAt: String
    "Why a notice to the public was given."
    publicNoticeReason: String
    measures: String
    "OPEN, UNDER_REVIEW, NOTIFIED or CLOSED"
    status: String
  }

  input IncidentInput {
    description: String!
    circumstances: String
    occurredAt: String
    occurredFrom: String
    occurredTo: String
    occurredApproximately: String
    discoveredAt: String
    categories: [String!]
    personsConcerned: Int
    personsConcernedApproximate: Boolean
    seriousRisk: Boolean
    seriousRiskReasons: String
    caiNotifiedAt: String
    personsNotifiedAt: String
    publicNoticeAt: String
    publicNoticeReason: String
    measures: String
    status: String
  }

  input IncidentUpdateInput {
    description: String
    circumstances: String
    occurredAt: String
    occurredFrom: String
    occurredTo: String
    occurredApproximately: String
    discoveredAt: String
    categories: [String!]
    personsConcerned: Int
    personsConcernedApproximate: Boolean
    seriousRisk: Boolean
    seriousRiskReasons: String
    caiNotifiedAt: String
    personsNotifiedAt: String
    publicNoticeAt: String
    publicNoticeReason: String
    measures: String
    status: String
  }

  extend type Query {
    """
    Audit events, most recent first, one row per event and patient (privacy officer). Every filter
    is optional and all must hold: \`from\` (inclusive) and \`to\` (exclusive) are ISO-8601 dates or
    instants, \`decision\` ALLOW or DENY, \`reason\` a refusal reason, \`field\` a coordinate such as
    Patient.phone. \`after\`: the cursor of the last row of the previous page, with the same filters.
    Every search is itself recorded in the log (field Query.auditLog, its filters).
    """
    auditLog(patientId: ID, actorId: ID, first: Int, after: String, from: String, to: String, decision: String, reason: String, field: String): [AuditEvent!]!
    "The same search as auditLog, as a page that says whether more rows follow (cursors are interchangeable between the two)."
    auditLogPage(patientId: ID, actorId: ID, first: Int, after: String, from: String, to: String, decision: String, reason: String, field: String): AuditLogPage!
    "Recomputes the audit chain and reports the first broken link."
    verifyAuditChain: AuditChainStatus!
    "The confidentiality incident register, most recent first."
    incidents: [Incident!]!
  }

  extend type Mutation {
    "Break the glass: duty toward a patient for 60 minutes, for a physician or nurse, with a justification of at least 20 letters or digits (not one repeated character)."
    openEmergencyAccess(patientId: ID!, justification: String!): EmergencyAccess!
    reportIncident(input: IncidentInput!): Incident!
    updateIncident(id: ID!, input: IncidentUpdateInput!): Incident!
  }

  extend type Patient {
    "Staff reads of this record, most recent first."
    accessLog: [AccessLogEntry!]
  }
`);

function editorOf(context: GatewayContext) {
  const viewer = context.request.viewer;
  if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  return { id: viewer.id, role: viewer.role };
}

const badInput = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const MAX_TEXT = 4000;
const CATEGORY = /^[A-Z_]{2,32}$/;

function instant(value: unknown, field: string): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const date = strictIsoDateOrInstant(value);
  if (!date) throw badInput(`${field} must be an ISO-8601 date (YYYY-MM-DD) or instant with a real UTC offset`, field);
  return date;
}

function text(value: unknown, field: string): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || value.length > MAX_TEXT) throw badInput(`${field} must be at most ${MAX_TEXT} characters`, field);
  return value.trim() || null;
}

/** The period of an incident starts before it ends. */
function checkPeriod(fields: Pick<IncidentFields, 'occurredFrom' | 'occurredTo'>): void {
  if (fields.occurredFrom && fields.occurredTo && fields.occurredFrom > fields.occurredTo) throw badInput('occurredFrom must not be after occurredTo', 'occurredFrom');
}

/** Incident fields from the API, validated; undefined means "not given". */
function incidentFields(input: Record<string, unknown>): IncidentFields {
  const categories = input.categories as string[] | null | undefined;
  if (categories && (categories.length > 20 || !categories.every((c) => CATEGORY.test(c)))) throw badInput('categories must be category names such as CLINICAL or CONTACT', 'categories');
  const persons = input.personsConcerned as number | null | undefined;
  if (persons !== undefined && persons !== null && persons < 0) throw badInput('personsConcerned must not be negative', 'personsConcerned');
  const status = input.status as string | null | undefined;
  if (status !== undefined && status !== null && !(INCIDENT_STATUS as readonly string[]).includes(status)) throw badInput(`status must be one of ${INCIDENT_STATUS.join(', ')}`, 'status');
  const fields: IncidentFields = {
    description: text(input.description, 'description'),
    circumstances: text(input.circumstances, 'circumstances'),
    occurredAt: instant(input.occurredAt, 'occurredAt'),
    occurredFrom: instant(input.occurredFrom, 'occurredFrom'),
    occurredTo: instant(input.occurredTo, 'occurredTo'),
    occurredApproximately: text(input.occurredApproximately, 'occurredApproximately'),
    discoveredAt: instant(input.discoveredAt, 'discoveredAt'),
    categories: categories ?? undefined,
    personsConcerned: persons,
    personsConcernedApproximate: input.personsConcernedApproximate as boolean | null | undefined,
    seriousRisk: input.seriousRisk as boolean | null | undefined,
    seriousRiskReasons: text(input.seriousRiskReasons, 'seriousRiskReasons'),
    caiNotifiedAt: instant(input.caiNotifiedAt, 'caiNotifiedAt'),
    personsNotifiedAt: instant(input.personsNotifiedAt, 'personsNotifiedAt'),
    publicNoticeAt: instant(input.publicNoticeAt, 'publicNoticeAt'),
    publicNoticeReason: text(input.publicNoticeReason, 'publicNoticeReason'),
    measures: text(input.measures, 'measures'),
    status: status ?? undefined,
  };
  checkPeriod(fields);
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as IncidentFields;
}

/** Per-request loaders of the patient access log (one query for every patient of a request). */
function accessLogLoader(store: AuditStore, policy: PolicyClient, categoryOf: (coordinate: string) => string | undefined) {
  return new DataLoader<string, { at: string; staffName: string | null; role: string | null; categories: string[] }[]>(async (patientIds) => {
    const events = await store.auditLog.staffReadsOf(patientIds);
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id))];
    const names = actorIds.length ? await policy.employeeNames(actorIds) : {};
    return patientIds.map((patientId) =>
      events
        .filter((e) => e.patientId === patientId)
        .map((e) => ({
          at: e.at.toISOString(),
          staffName: e.actorId ? (names[e.actorId] ?? null) : null,
          role: e.role ?? null,
          categories: [...new Set(e.fields.map(categoryOf).filter((c): c is string => !!c))].sort(),
        })),
    );
  });
}

/** The field the privacy officer's searches and exports of the log are recorded under. */
export const AUDIT_SEARCH_COORDINATE = 'Query.auditLog';

/** A search's filters, validated, or a BAD_USER_INPUT error naming the filter. */
function searchFilters(args: RawAuditFilters, compiled: Pick<CompiledPolicy, 'coordinates'>): AuditFilters {
  try {
    return checkedAuditFilters(args, (field) => compiled.coordinates.includes(field));
  } catch (err) {
    if (err instanceof AuditFilterProblem) throw badInput(err.message, err.field);
    throw err;
  }
}

type SearchArgs = RawAuditFilters & { first?: number | null; after?: string | null };

/** A row's position as its sealed cursor says it (`<seq>:<patientId>`). */
function positionOf(keyset: string | undefined): RowPosition | undefined {
  const match = keyset ? /^(\d{1,15}):([A-Za-z0-9_-]{0,64})$/.exec(keyset) : null;
  return match ? { seq: Number(match[1]), patientId: match[2] ?? '' } : undefined;
}

export function privacyResolvers(options: {
  store: AuditStore;
  policy: PolicyClient;
  categoryOf: (coordinate: string) => string | undefined;
  /** The compiled rules: which field coordinates a search may name. */
  compiled: Pick<CompiledPolicy, 'coordinates'>;
  /** Seals the log's page cursors (bound to the reader and the filters). */
  cursors: CursorSeal;
}): IResolvers {
  const { store, policy, cursors } = options;
  const accessLog = requestService('accessLog', () => accessLogLoader(store, policy, options.categoryOf));
  /** One page of a search of the log, recorded in the log itself (its filters and the range of events returned). */
  const searchLog = async (args: SearchArgs, context: GatewayContext) => {
    const filters = searchFilters(args, options.compiled);
    const first = pageSize(args.first);
    const scope = cursorScope(context.request.viewer?.id ?? '', filters);
    let after: RowPosition | undefined;
    if (args.after !== undefined && args.after !== null) {
      after = positionOf(cursors.open(args.after, scope));
      if (!after) throw badInput('after must be the cursor of a row of this same search', 'after');
    }
    // One row more than asked says whether another page follows.
    const found = await store.auditLog.list({ ...filters, first: first + 1, after });
    const rows = found.slice(0, first);
    const seqs = rows.map((r) => r.seq);
    context.audit.recordSearch(
      AUDIT_SEARCH_COORDINATE,
      recordedFilters('search', filters, {
        first,
        continued: after !== undefined,
        rows: rows.length,
        ...(seqs.length ? { newestSeq: Math.max(...seqs), oldestSeq: Math.min(...seqs) } : {}),
      }),
    );
    const events = rows.map((row) => ({ ...row, cursor: cursors.seal(`${row.seq}:${row.patientId ?? ''}`, scope) }));
    return { events, hasNextPage: found.length > first, endCursor: events.at(-1)?.cursor ?? null };
  };
  return {
    Query: {
      auditLog: async (_: unknown, args: SearchArgs, context: GatewayContext) => (await searchLog(args, context)).events,
      auditLogPage: (_: unknown, args: SearchArgs, context: GatewayContext) => searchLog(args, context),
      verifyAuditChain: () => store.auditLog.verify(),
      incidents: () => store.incidents.list(),
    },
    Mutation: {
      openEmergencyAccess: async (_: unknown, args: { patientId: string; justification: string }, context: GatewayContext) => {
        const viewer = context.request.viewer;
        if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
        const checked = checkedJustification(args.justification);
        if (!checked.ok) throw badInput(checked.message, 'justification');
        const justification = checked.text;
        if (!isWellFormedId(args.patientId)) throw badInput('patientId must be an id', 'patientId');
        if (!(await context.access.patientExists(args.patientId))) throw badInput(`No patient with id "${args.patientId}"`, 'patientId');
        const access = await store.emergencyAccess.open({ patientId: args.patientId, grantedTo: viewer.id, role: viewer.role, justification }, context.request.now);
        // Reads later in this request see the new duty.
        context.access.forgetEmergencyAccesses();
        return access;
      },
      // Every change is written with its entry of the register's edit history: who (the verified viewer), when, what.
      reportIncident: (_: unknown, args: { input: Record<string, unknown> }, context: GatewayContext) =>
        store.incidents.report(incidentFields(args.input), editorOf(context), context.request.now),
      updateIncident: async (_: unknown, args: { id: string; input: Record<string, unknown> }, context: GatewayContext) => {
        if (!isWellFormedId(args.id)) throw badInput('id must be an id', 'id');
        const updated = await store.incidents.update(args.id, incidentFields(args.input), editorOf(context), context.request.now, checkPeriod);
        if (!updated) throw badInput(`No incident with id "${args.id}"`, 'id');
        return updated;
      },
    },
    Patient: {
      accessLog: {
        selectionSet: '{ id }',
        resolve: (patient: { id: string }, _args: unknown, context: GatewayContext) => context.services.get(accessLog).load(patient.id),
      },
    },
    AuditEvent: { at: (e: AuditEventRow) => e.at.toISOString() },
    EmergencyAccess: { expiresAt: (e: EmergencyAccess) => e.expiresAt.toISOString() },
    Incident: {
      occurredAt: (i: Incident) => iso(i.occurredAt),
      occurredFrom: (i: Incident) => iso(i.occurredFrom),
      occurredTo: (i: Incident) => iso(i.occurredTo),
      discoveredAt: (i: Incident) => iso(i.discoveredAt),
      caiNotifiedAt: (i: Incident) => iso(i.caiNotifiedAt),
      personsNotifiedAt: (i: Incident) => iso(i.personsNotifiedAt),
      publicNoticeAt: (i: Incident) => iso(i.publicNoticeAt),
    },
  } as IResolvers;
}
