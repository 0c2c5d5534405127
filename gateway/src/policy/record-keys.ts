import {
  Kind,
  isObjectType,
  TypeInfo,
  getNamedType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { NO_DUTY_NO_RESTRICTION } from '@clinic/schema';
import type { DutyKind, PatientAccessFacts } from './policy-client.js';

/**
 * Rules decide on the record a field belongs to, so every subgraph request fetches the id of each
 * patient, appointment, invoice and employee under a response key only the gateway uses. Client
 * aliases cannot forge it: aliases starting with "__" are refused (see validation/no-confusing-aliases.ts).
 */
export const RECORD_KEY = '__clinicRecordId';
export const RECORD_TYPES: ReadonlySet<string> = new Set(['Patient', 'Appointment', 'Invoice', 'Employee', 'RectificationRequest']);
/**
 * Appointments and invoices belong to a patient, whom their own subgraph names in their `patient`
 * field: the owner travels with the record under this key, so no policy look-up has to ask for it.
 */
export const OWNER_KEY = '__clinicOwner';
const OWNED_TYPES: ReadonlySet<string> = new Set(['Appointment', 'Invoice']);
/**
 * Whether an employee's employment has ended travels with the employee too: the employee
 * subgraph's `terminationDate` under this key (the rule on former employees reads it, see
 * permissions.ts), fetched in the request that fetches the record. Never served to clients.
 */
export const EMPLOYMENT_ENDS_KEY = '__clinicEmploymentEnds';
const employmentEndsField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: EMPLOYMENT_ENDS_KEY },
  name: { kind: Kind.NAME, value: 'terminationDate' },
};

const recordKeyField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: RECORD_KEY },
  name: { kind: Kind.NAME, value: 'id' },
};
// Stitching merges records across subgraphs on the plain `id`; it must stay selected beside the key.
const plainIdField: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } };

const ownerField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: OWNER_KEY },
  name: { kind: Kind.NAME, value: 'patient' },
  selectionSet: { kind: Kind.SELECTION_SET, selections: [plainIdField] },
};

function withRecordKey(selectionSet: SelectionSetNode, typeName: string, hasEmploymentEnd: boolean): SelectionSetNode {
  const fields = selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const missing = [
    ...(fields.some((f) => f.alias?.value === RECORD_KEY) ? [] : [recordKeyField]),
    ...(fields.some((f) => !f.alias && f.name.value === 'id') ? [] : [plainIdField]),
    ...(OWNED_TYPES.has(typeName) && !fields.some((f) => f.alias?.value === OWNER_KEY) ? [ownerField] : []),
    ...(hasEmploymentEnd && !fields.some((f) => f.alias?.value === EMPLOYMENT_ENDS_KEY) ? [employmentEndsField] : []),
  ];
  return missing.length ? { ...selectionSet, selections: [...selectionSet.selections, ...missing] } : selectionSet;
}

/**
 * Adds the record key to every selection of a record type in a document sent to a subgraph, and,
 * in a document for the subgraph that owns employees (`employmentEnds`), the employment key.
 */
export function addRecordKeys(schema: GraphQLSchema, document: DocumentNode, options: { employmentEnds?: boolean } = {}): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node, _key, parent) {
          // The selection set of a field or an inline fragment: its type is the named type of that position.
          const type = typeInfo.getParentType();
          if (!type || !RECORD_TYPES.has(getNamedType(type).name)) return undefined;
          if (parent && 'kind' in parent && parent.kind === Kind.OPERATION_DEFINITION) return undefined;
          const named = getNamedType(type);
          // Only the employee subgraph answers the field (the others hold a reference by id).
          const hasEmploymentEnd = options.employmentEnds === true && named.name === 'Employee' && isObjectType(named) && 'terminationDate' in named.getFields();
          return withRecordKey(node, named.name, hasEmploymentEnd);
        },
      },
    }),
  );
}

/**
 * The patient an appointment or invoice belongs to, as its subgraph named it under the owner key:
 * an id, null when it names none, undefined when the record was fetched without the key.
 */
export function ownerIdOf(parent: Record<string, unknown> | undefined): string | null | undefined {
  if (!parent || !(OWNER_KEY in parent)) return undefined;
  const owner = parent[OWNER_KEY] as { id?: unknown } | null;
  return typeof owner?.id === 'string' ? owner.id : null;
}

/**
 * The day an employee's employment ended (YYYY-MM-DD), as fetched under its key: null while
 * employed, undefined when the employee was fetched without the key (nothing is guessed from that).
 */
export function employmentEndOf(parent: Record<string, unknown> | undefined): string | null | undefined {
  if (!parent || !(EMPLOYMENT_ENDS_KEY in parent)) return undefined;
  const day = parent[EMPLOYMENT_ENDS_KEY];
  return typeof day === 'string' ? day : null;
}

/** The record id of a parent object, as fetched under the record key. */
export function recordIdOf(parent: Record<string, unknown> | undefined): string | undefined {
  const id = parent?.[RECORD_KEY];
  return typeof id === 'string' ? id : undefined;
}

/**
 * The viewer's policy facts toward a patient travel with the record too: the patient subgraph
 * answers `Patient._accessFacts` (`@inaccessible`: clients can neither select nor forge it) under
 * this key, in the request that fetches the record. The field takes no argument: the subgraph reads
 * who reads, in which role and when from the signed request (the request signing sends the viewer
 * and the clock, derived-values/patient-listing.ts the verified role).
 */
export const ACCESS_KEY = '__clinicAccess';
export const ACCESS_FACTS_FIELD = '_accessFacts';
/** Variables the gateway may add to subgraph requests start with this; clients may not name theirs so. */
export const RESERVED_VARIABLE_PREFIX = '_clinic';

const accessFactsField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: ACCESS_KEY },
  name: { kind: Kind.NAME, value: ACCESS_FACTS_FIELD },
};

/**
 * Adds the viewer's access facts to every Patient selection of a document sent to the PATIENT
 * subgraph (no other subgraph has the field), the owner of an appointment (`__clinicOwner`)
 * included: apply it after `addRecordKeys`.
 */
export function addAccessFacts(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  let added = false;
  const withFacts = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node, _key, parent) {
          const type = typeInfo.getParentType();
          if (!type || getNamedType(type).name !== 'Patient') return undefined;
          if (parent && 'kind' in parent && parent.kind === Kind.OPERATION_DEFINITION) return undefined;
          if (node.selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === ACCESS_KEY)) return undefined;
          added = true;
          return { ...node, selections: [...node.selections, accessFactsField] };
        },
      },
    }),
  );
  return added ? withFacts : document;
}

const DUTY_KINDS: ReadonlySet<string> = new Set<DutyKind>(['CARE_ASSIGNMENT', 'APPOINTMENT_TODAY', 'ACTIVE_REFERRAL', 'EMERGENCY_ACCESS']);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isDuty = (value: unknown) => isRecord(value) && typeof value.kind === 'string' && DUTY_KINDS.has(value.kind) && typeof value.detail === 'string';
const isRestriction = (value: unknown) => isRecord(value) && typeof value.id === 'string' && isStringList(value.fields);

function isAccessFacts(value: unknown): value is PatientAccessFacts {
  return (
    isRecord(value) &&
    typeof value.patientId === 'string' &&
    typeof value.exists === 'boolean' &&
    Array.isArray(value.duties) &&
    value.duties.every(isDuty) &&
    Array.isArray(value.restrictions) &&
    value.restrictions.every(isRestriction)
  );
}

/**
 * The access facts a patient came with (under the access key), about `recordId` (the record's key;
 * an owner key's patient names its id itself): undefined when it was fetched
 * without them. Anything else than the facts' JSON (null after a subgraph error, bad JSON, another
 * shape) throws: no facts are guessed (fail closed).
 */
export function accessFactsOf(parent: Record<string, unknown> | undefined, recordId: string | undefined = recordIdOf(parent)): PatientAccessFacts | undefined {
  if (!parent || !(ACCESS_KEY in parent)) return undefined;
  const raw = parent[ACCESS_KEY];
  if (typeof raw !== 'string') throw new Error('record keys: the patient came without its access facts');
  if (raw === NO_DUTY_NO_RESTRICTION) {
    if (recordId === undefined) throw new Error('record keys: the access facts of a patient came without its record id');
    return { patientId: recordId, exists: true, duties: [], restrictions: [] };
  }
  let facts: unknown;
  try {
    facts = JSON.parse(raw);
  } catch {
    throw new Error('record keys: the access facts of a patient are not JSON');
  }
  if (!isAccessFacts(facts)) throw new Error('record keys: the access facts of a patient have an unexpected shape');
  if (recordId !== undefined && recordId !== facts.patientId) throw new Error('record keys: the access facts name another patient than the record');
  return facts;
}
