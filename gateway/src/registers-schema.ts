import DataLoader from 'dataloader';
import { GraphQLError, parse } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { badUserInput, isWellFormedId, pageSize, strictIsoDateOrInstant } from '@clinic/service-kit';
import type { AuditStore } from './audit-store/audit-store.js';
import type { ChainedEntry } from './audit-store/chained-register.js';
import { DISCLOSURE_LEGAL_BASIS_NAMES, type Disclosure, type DisclosureLegalBasis } from './audit-store/disclosure-register.js';
import { EmergencyAccess, type Incident } from './audit-store/entities.js';
import type { IncidentHistoryEntry } from './audit-store/incident-register.js';
import type { GatewayContext } from './context.js';
import { incidentRegisterDocument, REGISTER_EXPORT_FORMATS, type RegisterExportFormat } from './incident-register-export.js';
import { INVOICE_DIAGNOSIS_CATEGORY, PATIENT_FIELD_CATEGORY } from './permissions.js';
import type { PolicyClient } from './policy/policy-client.js';
import { allow } from './policy/verdict.js';
import { requestService } from './request-services.js';

/**
 * The registers of issue 14 the gateway keeps in its audit store, each a hash chain verified with
 * the audit log: the disclosure register (communications without consent) and the incident
 * register's edit history, with the register's export for the privacy officer's tooling.
 */
export const registersTypeDefs = parse(/* GraphQL */ `
  "Why information was communicated without the patient's consent: the grounds the clinics' policies and Law 25 name, and no other."
  enum DisclosureLegalBasis {
    "A serious risk of death or serious injury, with a sense of urgency (physicians and nurses with duty may record it)."
    EMERGENCY
    "An order of a court."
    COURT_ORDER
    "A request of a law enforcement authority."
    LAW_ENFORCEMENT
    "The Director of Criminal and Penal Prosecutions, or a body preventing, detecting or repressing crime, for a prosecution under a law applicable in Québec."
    PROSECUTOR
    "A police force's intervention at the clinic's request or in a mixed psychosocial and police practice."
    POLICE_INTERVENTION
    "A report owed to a public health authority."
    PUBLIC_HEALTH
    "Another communication the law requires."
    REQUIRED_BY_LAW
  }

  "A communication of a patient's information without their consent, as the disclosure register keeps it."
  type Disclosure {
    id: ID!
    patientId: ID!
    recipientName: String!
    recipientOrganisation: String
    legalBasis: DisclosureLegalBasis!
    "Categories of the patient's record released (IDENTITY, CONTACT, CLINICAL, ...)."
    categories: [String!]!
    purpose: String!
    "The staff member who released it."
    releasedBy: ID!
    releasedByRole: Role
    releasedByName: String
    "When the information was communicated."
    disclosedAt: String!
    "When the disclosure was recorded."
    recordedAt: String!
    "The emergency access the disclosure came from, if any."
    emergencyAccessId: ID
  }

  input DisclosureInput {
    patientId: ID!
    "The person who received the information."
    recipientName: String!
    "The organisation they received it for (a police force, a court, a public health authority)."
    recipientOrganisation: String
    legalBasis: DisclosureLegalBasis!
    categories: [String!]!
    purpose: String!
    "When the information was communicated, if before now (ISO-8601); default now."
    disclosedAt: String
    "The viewer's emergency access toward the patient the disclosure came from."
    emergencyAccessId: ID
  }

  "One field of an incident as a change set it: the new value (ISO-8601 dates, lists as JSON), null when cleared."
  type IncidentFieldChange {
    field: String!
    value: String
  }

  "An entry of the incident register's edit history (append-only, tamper-evident)."
  type IncidentHistoryEntry {
    id: ID!
    at: String!
    "REPORTED, UPDATED or OPENED_AUTOMATICALLY"
    action: String!
    "The staff member who made the change; null for an entry the gateway opened."
    by: ID
    byRole: Role
    changes: [IncidentFieldChange!]!
  }

  extend type Incident {
    "Every change of the entry, oldest first."
    history: [IncidentHistoryEntry!]!
  }

  enum RegisterExportFormat {
    "Comma-separated values (RFC 4180), one row per entry, for a spreadsheet."
    CSV
    "JSON: every entry with its edit history."
    JSON
  }

  "A register as a document to save (its export is recorded in the register's history)."
  type RegisterExport {
    format: RegisterExportFormat!
    contentType: String!
    filename: String!
    entries: Int!
    content: String!
  }

  "One register beside the audit log, its chain recomputed."
  type RegisterChainStatus {
    register: String!
    ok: Boolean!
    entries: Int!
    "The first entry whose content or link was altered."
    firstBrokenEntryId: ID
  }

  extend type AuditChainStatus {
    "The registers beside the log (disclosures, the incident register's history, ...), each verified the same way."
    registers: [RegisterChainStatus!]!
  }

  extend type Query {
    "The disclosure register, most recently recorded first (of one patient when patientId is given; communicated in [from, to))."
    disclosures(patientId: ID, from: String, to: String, first: Int): [Disclosure!]!
    "The confidentiality incident register as a CSV or JSON document."
    incidentRegisterExport(format: RegisterExportFormat!): RegisterExport!
  }

  extend type Mutation {
    "Records a communication without consent: the privacy officer on every basis; a physician or nurse with duty toward the patient for an EMERGENCY."
    recordDisclosure(input: DisclosureInput!): Disclosure!
  }

  extend type Patient {
    "Communications of this record without consent, most recently recorded first."
    disclosures: [Disclosure!]
  }
`);

/** The rules file's categories of a patient's record: what a disclosure may say it released. */
export const PATIENT_CATEGORIES: ReadonlySet<string> = new Set([...Object.values(PATIENT_FIELD_CATEGORY), INVOICE_DIAGNOSIS_CATEGORY]);

const READ_IN_THE_REGISTER = allow('the privacy officer reads the disclosure register');
const MAX_NAME = 200;
const MAX_TEXT = 2000;

function viewerOf(context: GatewayContext) {
  const viewer = context.request.viewer;
  if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  return viewer;
}

function requiredText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw badUserInput(`${field} must not be empty`, field);
  if (text.length > max) throw badUserInput(`${field} must be at most ${max} characters`, field);
  return text;
}

function optionalText(value: unknown, field: string, max: number): string | null {
  return value === undefined || value === null || (typeof value === 'string' && !value.trim()) ? null : requiredText(value, field, max);
}

function optionalInstant(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = strictIsoDateOrInstant(value);
  if (!date) throw badUserInput(`${field} must be an ISO-8601 date (YYYY-MM-DD) or instant with a real UTC offset`, field);
  return date;
}

function checkedCategories(value: unknown): string[] {
  const categories = Array.isArray(value) ? [...new Set(value as string[])] : [];
  if (categories.length === 0 || !categories.every((c) => PATIENT_CATEGORIES.has(c))) {
    throw badUserInput(`categories must name at least one category of the patient's record: ${[...PATIENT_CATEGORIES].join(', ')}`, 'categories');
  }
  return categories.sort();
}

/** The emergency access a disclosure came from: it exists, is toward that patient, and (for a physician or nurse) is theirs. */
async function checkedEmergencyAccess(store: AuditStore, id: unknown, patientId: string, viewer: { id: string; role: string }): Promise<string | null> {
  if (id === undefined || id === null) return null;
  if (!isWellFormedId(id)) throw badUserInput('emergencyAccessId must be an id', 'emergencyAccessId');
  const access = await store.db.fork().findOne(EmergencyAccess, { id });
  // One answer for "no such access" and "not yours": an id is no way to learn of another's access.
  if (!access || access.patientId !== patientId || (viewer.role !== 'PRIVACY_OFFICER' && access.grantedTo !== viewer.id)) {
    throw badUserInput(`No emergency access "${id}" of yours toward this patient`, 'emergencyAccessId');
  }
  return access.id;
}

/** Per-request loaders (one statement for every patient or incident of a response). */
function disclosuresLoader(store: AuditStore) {
  return new DataLoader<string, Disclosure[]>(async (patientIds) => {
    const all = await store.disclosures.ofPatients(patientIds);
    return patientIds.map((id) => all.filter((d) => d.patientId === id));
  });
}
function historyLoader(store: AuditStore) {
  return new DataLoader<string, ChainedEntry<IncidentHistoryEntry>[]>(async (incidentIds) => {
    const all = await store.incidents.history.of(incidentIds);
    return incidentIds.map((id) => all.filter((e) => e.subjectId === id));
  });
}
function staffNamesLoader(policy: PolicyClient) {
  return new DataLoader<string, string | null>(async (ids) => {
    const names = await policy.employeeNames(ids);
    return ids.map((id) => names[id] ?? null);
  });
}

export function registersResolvers(options: { store: AuditStore; policy: PolicyClient }): IResolvers {
  const { store, policy } = options;
  const disclosuresOf = requestService('disclosures', () => disclosuresLoader(store));
  const historyOf = requestService('incidentHistory', () => historyLoader(store));
  const staffNames = requestService('disclosureStaffNames', () => staffNamesLoader(policy));
  return {
    Query: {
      disclosures: async (_: unknown, args: { patientId?: string | null; from?: string | null; to?: string | null; first?: number | null }, context: GatewayContext) => {
        if (args.patientId !== undefined && args.patientId !== null && !isWellFormedId(args.patientId)) throw badUserInput('patientId must be an id', 'patientId');
        const from = optionalInstant(args.from, 'from');
        const to = optionalInstant(args.to, 'to');
        if (from && to && from > to) throw badUserInput('from must not be after to', 'from');
        const rows = await store.disclosures.list({ first: pageSize(args.first), ...(args.patientId ? { patientId: args.patientId } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
        // Each row is about its patient: the read is logged under every patient it names.
        for (const patientId of new Set(rows.map((r) => r.patientId))) context.audit.record(patientId, 'Query.disclosures', READ_IN_THE_REGISTER);
        return rows;
      },
      incidentRegisterExport: async (_: unknown, args: { format: RegisterExportFormat }, context: GatewayContext) => {
        const viewer = viewerOf(context);
        if (!(REGISTER_EXPORT_FORMATS as readonly string[]).includes(args.format)) throw badUserInput(`format must be one of ${REGISTER_EXPORT_FORMATS.join(', ')}`, 'format');
        const incidents: Incident[] = await store.incidents.list();
        const history = args.format === 'JSON' ? await store.incidents.history.of(incidents.map((i) => i.id)) : [];
        const document = incidentRegisterDocument(args.format, incidents, history, context.request.now);
        // Recorded before the document leaves: no record of the export, no export.
        await store.incidents.history.exported({ id: viewer.id, role: viewer.role }, args.format, incidents.length, context.request.now);
        return document;
      },
    },
    Mutation: {
      // The rule allowed the viewer for this basis and patient, and logged it under the patient before this runs.
      recordDisclosure: async (_: unknown, args: { input: Record<string, unknown> }, context: GatewayContext) => {
        const viewer = viewerOf(context);
        const input = args.input;
        const patientId = input.patientId as string;
        if (!isWellFormedId(patientId)) throw badUserInput('patientId must be an id', 'patientId');
        if (!(await context.access.patientExists(patientId))) throw badUserInput(`No patient with id "${patientId}"`, 'patientId');
        const legalBasis = input.legalBasis as DisclosureLegalBasis;
        if (!DISCLOSURE_LEGAL_BASIS_NAMES.includes(legalBasis)) throw badUserInput(`legalBasis must be one of ${DISCLOSURE_LEGAL_BASIS_NAMES.join(', ')}`, 'legalBasis');
        const now = context.request.now;
        const disclosedAt = optionalInstant(input.disclosedAt, 'disclosedAt') ?? now;
        if (disclosedAt > now) throw badUserInput('disclosedAt must not be in the future', 'disclosedAt');
        const entry = {
          patientId,
          recipientName: requiredText(input.recipientName, 'recipientName', MAX_NAME),
          recipientOrganisation: optionalText(input.recipientOrganisation, 'recipientOrganisation', MAX_NAME),
          legalBasis,
          categories: checkedCategories(input.categories),
          purpose: requiredText(input.purpose, 'purpose', MAX_TEXT),
          releasedBy: viewer.id,
          releasedByRole: viewer.role,
          recordedAt: now.toISOString(),
          emergencyAccessId: await checkedEmergencyAccess(store, input.emergencyAccessId, patientId, viewer),
        };
        return store.disclosures.record(entry, disclosedAt);
      },
    },
    Patient: {
      disclosures: {
        selectionSet: '{ id }',
        resolve: (patient: { id: string }, _args: unknown, context: GatewayContext) => context.services.get(disclosuresOf).load(patient.id),
      },
    },
    Incident: {
      history: (incident: Incident, _args: unknown, context: GatewayContext) => context.services.get(historyOf).load(incident.id),
    },
    IncidentHistoryEntry: {
      at: (e: ChainedEntry<IncidentHistoryEntry>) => e.at.toISOString(),
      action: (e: ChainedEntry<IncidentHistoryEntry>) => e.entry.action,
      by: (e: ChainedEntry<IncidentHistoryEntry>) => e.entry.by,
      byRole: (e: ChainedEntry<IncidentHistoryEntry>) => e.entry.byRole,
      changes: (e: ChainedEntry<IncidentHistoryEntry>) => e.entry.changes,
    },
    Disclosure: {
      disclosedAt: (d: Disclosure) => d.disclosedAt.toISOString(),
      releasedByName: (d: Disclosure, _args: unknown, context: GatewayContext) => context.services.get(staffNames).load(d.releasedBy),
    },
    AuditChainStatus: {
      registers: () => store.registers.verifyAll(),
    },
  } as IResolvers;
}
