import { Kind, type DocumentNode, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import type { IMiddleware } from 'graphql-middleware';
import type { ExecutionResult, Executor } from '@graphql-tools/utils';
import type { GatewayContext } from '../context.js';
import { DERIVED_FROM_NAMES } from '../permissions.js';
import { RECORD_KEY, recordIdOf } from '../policy/record-keys.js';
import { allow, forbidden } from '../policy/verdict.js';

/**
 * A patient listing (`Query.patients`) is made of its patients' names: its order, its search
 * matches, its count and, through the order, its cursors. They are protected like the names
 * (permissions.ts, DERIVED_FROM_NAMES):
 *   - the patient subgraph is told, in the signed request body, who reads and whether their role
 *     reads every patient's name; it orders by name only when the reader may read every name (else
 *     by id), never matches a search on a name restricted for the reader, counts only what matches,
 *     and seals every cursor (service-kit's cursor-seal.ts);
 *   - a search by name from a role that does not read names is refused (FORBIDDEN, ROLE);
 *   - every row the listing returns is recorded in the audit log as a read of what its place and its
 *     cursor come from (the id, and the names when the list was ordered by them), even when the
 *     client asked only for cursors or a count.
 */

/** The gateway-only response key under which each listing brings back its rows' record keys. */
export const LISTING_ROWS_KEY = '__clinicListingRows';
const LISTED_FIELD = 'patients';

const rowsField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: LISTING_ROWS_KEY },
  name: { kind: Kind.NAME, value: 'nodes' },
  selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } }] },
};

/**
 * Whether a listing's selection already brings back every row's id: `nodes`, unaliased and without
 * a directive that could leave it out, selecting the record key or `id`.
 */
function bringsEveryRowId(selections: readonly SelectionNode[]): boolean {
  return selections.some(
    (s) =>
      s.kind === Kind.FIELD && s.name.value === 'nodes' && !s.alias && !s.directives?.length &&
      (s.selectionSet?.selections.some((f) => f.kind === Kind.FIELD && f.name.value === 'id' && (!f.alias || f.alias.value === RECORD_KEY) && !f.directives?.length) ?? false),
  );
}

/** The rows of a listing as the subgraph answered them: its own rows' ids when it asked none (see withListingRows), else its nodes. */
function listedRows(listing: Record<string, unknown> | null | undefined): unknown {
  return listing?.[LISTING_ROWS_KEY] ?? listing?.nodes;
}

/**
 * Adds the rows' ids to every root `patients` field of a subgraph query, unless its selection
 * already brings them (planned documents are shared: cached per document).
 */
const withRows = new WeakMap<DocumentNode, DocumentNode>();
export function withListingRows(document: DocumentNode): DocumentNode {
  let listed = withRows.get(document);
  if (listed) return listed;
  let changed = false;
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'query') return definition;
    const selections = definition.selectionSet.selections.map((selection) => {
      if (selection.kind !== Kind.FIELD || selection.name.value !== LISTED_FIELD || !selection.selectionSet) return selection;
      if (selection.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === LISTING_ROWS_KEY)) return selection;
      if (bringsEveryRowId(selection.selectionSet.selections)) return selection;
      changed = true;
      return { ...selection, selectionSet: { ...selection.selectionSet, selections: [...selection.selectionSet.selections, rowsField] } };
    });
    return { ...definition, selectionSet: { ...definition.selectionSet, selections } };
  });
  listed = changed ? { ...document, definitions } : document;
  withRows.set(document, listed);
  return listed;
}

/** How the subgraph ordered the request's listings, as it said in its response (see the executor below). */
const orderedByName = new WeakMap<object, boolean>();

/**
 * What the patient subgraph is told about the reader, in the signed body: its listings read it
 * (service patient-listing.ts), and so do the reader's access facts (`Patient._accessFacts`, in this role).
 */
export function readerFactsOf(context: GatewayContext | undefined) {
  const viewer = context?.request?.viewer;
  if (!viewer) return undefined;
  return { id: viewer.id, role: viewer.role, namesReadable: (DERIVED_FROM_NAMES.readers as readonly string[]).includes(viewer.role), nameFields: [...DERIVED_FROM_NAMES.fields] };
}

/** Wraps the patient subgraph's executor: reader facts in the signed body, rows' keys in the listing, its order remembered. */
export function withListingFacts(executor: Executor): Executor {
  return (async (request: Parameters<Executor>[0]) => {
    const context = request.context as GatewayContext | undefined;
    const reader = readerFactsOf(context);
    if (!reader || !context) return executor(request);
    const result = await executor({ ...request, document: withListingRows(request.document), extensions: { ...request.extensions, clinicReader: reader } });
    const listing = (result as ExecutionResult).extensions?.clinicListing as { byName?: unknown } | undefined;
    if (listing && typeof listing.byName === 'boolean') orderedByName.set(context, listing.byName);
    return result;
  }) as Executor;
}

const hasSearchWords = (search: unknown) => typeof search === 'string' && search.trim() !== '';

type Resolve = (parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => unknown;

/** `Query.patients`: search refused to readers who may not read names; every listed row audited. */
export function derivedValuesMiddleware(): IMiddleware {
  return {
    Query: {
      patients: async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => {
        const reader = readerFactsOf(context);
        if (reader && !reader.namesReadable && hasSearchWords(args.search)) throw forbidden('ROLE', 'Query.patients(search) — a search by name');
        const listing = (await resolve(parent, args, context, info)) as Record<string, unknown> | null | undefined;
        const rows = listedRows(listing);
        if (reader && Array.isArray(rows)) {
          const fields = orderedByName.get(context) === true ? ['Patient.id', ...DERIVED_FROM_NAMES.fields] : ['Patient.id'];
          const listed = allow('listed by Query.patients: its order and cursor come from these fields');
          for (const row of rows as Record<string, unknown>[]) {
            const patientId = recordIdOf(row) ?? (typeof row.id === 'string' ? row.id : undefined);
            if (patientId) for (const field of fields) context.audit.record(patientId, field, listed);
          }
        }
        return listing;
      },
    },
  } as IMiddleware;
}
