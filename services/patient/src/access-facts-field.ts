import { GraphQLError, Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { badUserInput, type SubgraphContext } from '@clinic/service-kit';
import type { ReaderFactsBatch } from './access-facts.js';
import type { Patient } from './entities.js';
import type { PatientLoaders } from './loaders.js';
import { listingReaderOf } from './patient-listing.js';

type Context = SubgraphContext<PatientLoaders>;
const FIELD = '_accessFacts';

/**
 * `Patient._accessFacts` (gateway only, `@inaccessible` in the supergraph): the policy facts of the
 * request's reader toward this patient, as JSON of the gateway's `PatientAccessFacts`, fetched with
 * the record in the same request instead of a separate internal call. Who reads, in which role and
 * when come from the signed request only: the viewer (`x-viewer-id`), the role the gateway
 * verified (`extensions.clinicReader`, naming the same viewer) and the gateway's request time.
 * Facts a list prefetched are answered at once (no promise per row); others join the request's batch.
 */
export function accessFactsOfPatient(patient: Patient, _args: unknown, ctx: Context): string | Promise<string> {
  const batch = readerBatchOf(ctx);
  if (!batch) throw new GraphQLError('Access facts need the verified reader of the request: the signed viewer and its role', { extensions: { code: 'UNAUTHENTICATED' } });
  if (batch === OUTSIDE_THE_CALENDAR) throw badUserInput('the request time falls on no clinic day');
  return batch.known.get(patient.id) ?? batch.load(patient.id);
}

const OUTSIDE_THE_CALENDAR = 'outside the calendar';

type RequestBatch = ReaderFactsBatch | typeof OUTSIDE_THE_CALENDAR | undefined;
const batchOfRequest = new WeakMap<Context, RequestBatch>();

/** The request's batch of facts, found once per request: undefined without a verified reader, OUTSIDE_THE_CALENDAR when its time is on no clinic day. */
function readerBatchOf(ctx: Context): RequestBatch {
  if (batchOfRequest.has(ctx)) return batchOfRequest.get(ctx);
  const reader = listingReaderOf(ctx.readerFacts);
  const batch = ctx.viewerId && reader?.id === ctx.viewerId ? (ctx.loaders.accessFacts.of({ id: reader.id, role: reader.role }, ctx.now) ?? OUTSIDE_THE_CALENDAR) : undefined;
  batchOfRequest.set(ctx, batch);
  return batch;
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

/**
 * A list whose rows each name one patient under `field` (an appointment's `patient`, under any
 * alias), once the facts of the rows' patients are loaded, when any selection of that field asks
 * them (as `withFactsOf` does for a page's rows).
 */
export function withFactsOfTheirPatients<T extends readonly { patientId: string }[]>(rows: T, field: string, ctx: Context, info: GraphQLResolveInfo): T | Promise<T> {
  const patientSelections = fieldsNamed(field, info.fieldNodes.map((node) => node.selectionSet), info);
  if (patientSelections.length === 0) return rows;
  return withFactsOf(rows, () => [...new Set(rows.map((row) => row.patientId))], patientSelections, ctx, info);
}

/**
 * The rows of a list whose patient selections ask `_accessFacts` (a page's `nodes`, or the `node`
 * of its `edges`), once these patients' facts are loaded in the request's batch: each row's facts
 * are then answered without a promise. Batching is unchanged (the rows would have joined the same
 * batch one by one); a list that asks no facts is answered as it is, without waiting.
 */
function withFactsOf<T>(rows: T, patientIds: () => readonly string[], patientSelections: readonly FieldNode[], ctx: Context, info: GraphQLResolveInfo): T | Promise<T> {
  if (fieldsNamed(FIELD, patientSelections.map((node) => node.selectionSet), info).length === 0) return rows;
  const batch = readerBatchOf(ctx);
  // Without a reader (or a clinic day), each row meets the field's error on its own.
  if (!batch || batch === OUTSIDE_THE_CALENDAR) return rows;
  const ids = patientIds();
  return ids.length === 0 ? rows : batch.prefetch(ids).then(() => rows);
}

interface Page {
  nodes: Patient[];
  edges: { node: Patient }[];
}

const idsOf = (page: Page) => () => page.nodes.map((p) => p.id);

/** `PatientConnection.nodes` and `.edges`: a page's rows with their facts loaded first, if asked. */
export const pageWithAccessFacts = {
  nodes: (page: Page, _args: unknown, ctx: Context, info: GraphQLResolveInfo) => withFactsOf(page.nodes, idsOf(page), info.fieldNodes, ctx, info),
  edges: (page: Page, _args: unknown, ctx: Context, info: GraphQLResolveInfo) =>
    withFactsOf(page.edges, idsOf(page), fieldsNamed('node', info.fieldNodes.map((node) => node.selectionSet), info), ctx, info),
};
