import { Kind, TypeInfo, getNamedType, visit, visitWithTypeInfo, type DocumentNode, type FieldNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';

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

function withRecordKey(selectionSet: SelectionSetNode, typeName: string): SelectionSetNode {
  const fields = selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const missing = [
    ...(fields.some((f) => f.alias?.value === RECORD_KEY) ? [] : [recordKeyField]),
    ...(fields.some((f) => !f.alias && f.name.value === 'id') ? [] : [plainIdField]),
    ...(OWNED_TYPES.has(typeName) && !fields.some((f) => f.alias?.value === OWNER_KEY) ? [ownerField] : []),
  ];
  return missing.length ? { ...selectionSet, selections: [...selectionSet.selections, ...missing] } : selectionSet;
}

/** Adds the record key to every selection of a record type in a document sent to a subgraph. */
export function addRecordKeys(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
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
          return withRecordKey(node, getNamedType(type).name);
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

/** The record id of a parent object, as fetched under the record key. */
export function recordIdOf(parent: Record<string, unknown> | undefined): string | undefined {
  const id = parent?.[RECORD_KEY];
  return typeof id === 'string' ? id : undefined;
}
