import { getArgumentValues, GraphQLError, isObjectType, Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { badUserInput, type SubgraphContext } from '@clinic/service-kit';
import { ROLES, type Role } from '@clinic/schema';
import type { ReaderFactsBatch } from './access-facts.js';
import type { Patient } from './entities.js';
import type { PatientLoaders } from './loaders.js';

type Context = SubgraphContext<PatientLoaders>;
const FIELD = '_accessFacts';

/**
 * `Patient._accessFacts` (gateway only, `@inaccessible` in the supergraph): the verified viewer's
 * policy facts toward this patient, as JSON of the gateway's `PatientAccessFacts`, fetched with the
 * record in the same request instead of a separate internal call. The reader is the signed
 * `x-viewer-id`, never an argument; the gateway says which role it verified. Facts a list
 * prefetched are answered at once (no promise per row); others join the request's batch.
 */
export function accessFactsOfPatient(patient: Patient, args: { role: Role; at: string }, ctx: Context): string | Promise<string> {
  if (!ctx.viewerId) throw new GraphQLError('Access facts need the verified viewer of the request', { extensions: { code: 'UNAUTHENTICATED' } });
  const batch = ctx.loaders.accessFacts.asked({ id: ctx.viewerId, role: args.role }, args.at);
  if (!batch) throw badUserInput('at must be an ISO-8601 instant with a time zone, e.g. 2026-11-25T14:30:00Z', 'at');
  return batch.known.get(patient.id) ?? batch.load(patient.id);
}

/** The fields named `name` a selection asks (inline fragments and fragment spreads included). */
function fieldsNamed(name: string, selectionSets: readonly (SelectionSetNode | undefined)[], info: GraphQLResolveInfo, into: FieldNode[] = []): FieldNode[] {
  for (const selectionSet of selectionSets) {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) into.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        fieldsNamed(name, [selection.selectionSet], info, into);
      } else {
        fieldsNamed(name, [info.fragments[selection.name.value]?.selectionSet], info, into);
      }
    }
  }
  return into;
}

/** The batches of facts the `_accessFacts` fields of these patient selections ask (none for arguments the field refuses). */
function batchesAsked(patientSelections: readonly FieldNode[], ctx: Context, info: GraphQLResolveInfo): ReaderFactsBatch[] {
  const viewerId = ctx.viewerId;
  if (!viewerId) return [];
  const fields = fieldsNamed(FIELD, patientSelections.map((node) => node.selectionSet), info);
  if (fields.length === 0) return [];
  const patientType = info.schema.getType('Patient');
  const definition = isObjectType(patientType) ? patientType.getFields()[FIELD] : undefined;
  if (!definition) return [];
  const batches = new Set<ReaderFactsBatch>();
  for (const field of fields) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, field, info.variableValues);
    } catch {
      continue;
    }
    const role = args.role;
    const batch = typeof role === 'string' && (ROLES as readonly string[]).includes(role) ? ctx.loaders.accessFacts.asked({ id: viewerId, role: role as Role }, args.at) : undefined;
    if (batch) batches.add(batch);
  }
  return [...batches];
}

/**
 * The rows of a list of patients whose selection asks `_accessFacts` (a page's `nodes`, or the
 * `node` of its `edges`), once their facts are loaded in the request's batch: each row's facts are
 * then answered without a promise. Batching is unchanged (the rows would have joined the same
 * batch one by one); a list that asks no facts is answered as it is, without waiting.
 */
export function withAccessFactsOf<T>(rows: T, patients: readonly Patient[], patientSelections: readonly FieldNode[], ctx: Context, info: GraphQLResolveInfo): T | Promise<T> {
  if (patients.length === 0) return rows;
  const batches = batchesAsked(patientSelections, ctx, info);
  if (batches.length === 0) return rows;
  const ids = patients.map((p) => p.id);
  return Promise.all(batches.map((batch) => batch.prefetch(ids))).then(() => rows);
}

interface Page {
  nodes: Patient[];
  edges: { node: Patient }[];
}

/** `PatientConnection.nodes` and `.edges`: a page's rows with their facts loaded first, if asked. */
export const pageWithAccessFacts = {
  nodes: (page: Page, _args: unknown, ctx: Context, info: GraphQLResolveInfo) => withAccessFactsOf(page.nodes, page.nodes, info.fieldNodes, ctx, info),
  edges: (page: Page, _args: unknown, ctx: Context, info: GraphQLResolveInfo) =>
    withAccessFactsOf(page.edges, page.nodes, fieldsNamed('node', info.fieldNodes.map((node) => node.selectionSet), info), ctx, info),
};
