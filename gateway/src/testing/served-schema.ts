import type { GraphQLSchema } from 'graphql';
import { readSupergraphSdl } from '@clinic/schema';
import { createCursorSeal, createLogger } from '@clinic/service-kit';
import type { AuditStore } from '../audit-store/audit-store.js';
import { myPatientsResolvers, myPatientsTypeDefs } from '../my-patients-schema.js';
import { CLINIC_POLICY } from '../policy/clinic-policy.js';
import type { PolicyClient } from '../policy/policy-client.js';
import { privacyResolvers, privacyTypeDefs } from '../privacy-schema.js';
import { registersResolvers, registersTypeDefs } from '../registers-schema.js';
import { recordRequestsResolvers, recordRequestsTypeDefs } from '../record-requests-schema.js';
import { retentionResolvers, retentionTypeDefs } from '../retention-schema.js';
import { accessReviewResolvers, accessReviewTypeDefs } from '../access-review-schema.js';
import { reverseLookupResolvers, reverseLookupTypeDefs } from '../reverse-lookups-schema.js';
import { reviewQueueResolvers, reviewQueueTypeDefs } from '../review-queue-schema.js';
import type { ReadWatch } from '../watch/read-watch.js';
import { buildSupergraphSchema } from '../supergraph-schema.js';

/**
 * For tests: the schema the gateway serves (the supergraph, `Query.me` and every field the gateway
 * answers itself), built without a store or a running subgraph. One list, so the tests that walk
 * the served fields (rules, audited mutations) cannot walk different schemas.
 */
export function servedSchema(): GraphQLSchema {
  const nowhere = 'http://127.0.0.1:1/graphql';
  const store = {} as AuditStore;
  const policy = {} as PolicyClient;
  return buildSupergraphSchema({
    supergraphSdl: readSupergraphSdl(),
    subgraphUrls: { patient: nowhere, employee: nowhere, billing: nowhere },
    subgraphTimeoutMs: 1000,
    gatewayFields: [
      { typeDefs: privacyTypeDefs, resolvers: () => privacyResolvers({ store, policy, categoryOf: () => undefined, compiled: CLINIC_POLICY, cursors: createCursorSeal('served-schema-test-secret-of-32-characters') }) },
      { typeDefs: retentionTypeDefs, resolvers: () => retentionResolvers({ store, policy }) },
      { typeDefs: registersTypeDefs, resolvers: () => registersResolvers({ store, policy }) },
      { typeDefs: recordRequestsTypeDefs, resolvers: () => recordRequestsResolvers({ store, policy }) },
      { typeDefs: myPatientsTypeDefs, resolvers: myPatientsResolvers({ patientSubgraphUrl: nowhere, timeoutMs: 1000, fetch }) },
      { typeDefs: reverseLookupTypeDefs, resolvers: () => reverseLookupResolvers({ store, policy, compiled: CLINIC_POLICY }) },
      { typeDefs: accessReviewTypeDefs, resolvers: () => accessReviewResolvers({ store, policy }) },
      { typeDefs: reviewQueueTypeDefs, resolvers: () => reviewQueueResolvers({ store, watch: {} as ReadWatch, logger: createLogger('served-schema') }) },
    ],
  });
}
