import { print, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Executor } from '@graphql-tools/utils';
import { LRUCache } from 'lru-cache';
import type { SubgraphName } from '@clinic/schema';
import type { GatewayContext } from '../context.js';
import type { CompiledPolicy } from './compiled-policy.js';
import { withoutFieldsNeverServed } from './minimal-disclosure.js';
import { addAccessFacts, addRecordKeys } from './record-keys.js';

/** Rewritten subgraph documents kept per reader kind; the oldest are forgotten first. */
const PLAN_CACHE_SIZE = 2000;

/**
 * What the gateway sends a subgraph, planned once per (subgraph document, role, two-factor) and
 * cached, as Apollo's gateway caches query plans: the fields the reader can never read taken out
 * (minimal disclosure), the record and owner keys the rules decide on added, and, from the patient
 * subgraph, the reader's policy facts with every patient (answered in the same request, at the
 * request's signed clock). A plan is no policy data: the facts themselves are answered per request.
 */
export function withSubgraphPlan(executor: Executor, subgraph: SubgraphName, schema: () => GraphQLSchema, policy: CompiledPolicy | undefined): Executor {
  // Stitching reuses a document object for the same delegation; the printed text catches the rest.
  const byDocument = new WeakMap<DocumentNode, Map<string, DocumentNode>>();
  const byText = new LRUCache<string, DocumentNode>({ max: PLAN_CACHE_SIZE });
  const plan = (document: DocumentNode, readerKey: string, context: GatewayContext | undefined): DocumentNode => {
    let forDocument = byDocument.get(document);
    const cached = forDocument?.get(readerKey);
    if (cached) return cached;
    const textKey = `${readerKey}\n${print(document)}`;
    let planned = byText.get(textKey);
    if (!planned) {
      const viewer = context?.request.viewer;
      const disclosed = policy && viewer ? withoutFieldsNeverServed(document, schema(), policy, context.access.plans) : document;
      const keyed = addRecordKeys(schema(), disclosed, { employmentEnds: subgraph === 'employee' });
      planned = policy && viewer && subgraph === 'patient' && policy.readsPatientFacts(viewer.role, viewer.mfa) ? addAccessFacts(schema(), keyed) : keyed;
      byText.set(textKey, planned);
    }
    if (!forDocument) {
      forDocument = new Map();
      byDocument.set(document, forDocument);
    }
    forDocument.set(readerKey, planned);
    return planned;
  };
  return (request) => {
    const context = request.context as GatewayContext | undefined;
    const viewer = context?.request?.viewer;
    const readerKey = policy && viewer ? `${viewer.role}${viewer.mfa ? '+mfa' : ''}` : 'keys-only';
    return executor({ ...request, document: plan(request.document, readerKey, context) });
  };
}
