import type { GraphQLFieldResolver } from 'graphql';
import type { SubgraphDefinition } from '@clinic/service-kit';
import { accessFactsOfPatient, pageWithAccessFacts } from './access-facts-field.js';
import { careRelationshipMutations, careRelationshipTypes } from './care-relationships.js';
import { entities } from './entities.js';
import { createPatientLoaders, type PatientLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { patientPolicyEndpoints } from './policy-endpoints.js';
import { patientRightsMutations, patientRightsQueries, patientRightsTypes, rectificationRequestsOfPatient } from './patient-rights.js';
import { recordMutations } from './record-mutations.js';
import { resolvers } from './resolvers.js';
import { restrictionMutations } from './restriction-mutations.js';
import { seedPatients } from './seed.js';
import { sensitiveRecordMutations } from './sensitive-records.js';

export const patientSubgraph: SubgraphDefinition<PatientLoaders> = {
  name: 'patient',
  entities,
  migrations,
  resolvers: {
    ...resolvers,
    ...patientRightsTypes,
    ...careRelationshipTypes,
    Query: { ...(resolvers.Query as Record<string, GraphQLFieldResolver<unknown, unknown>>), ...patientRightsQueries },
    Mutation: { ...(resolvers.Mutation as Record<string, GraphQLFieldResolver<unknown, unknown>>), ...restrictionMutations, ...recordMutations, ...patientRightsMutations, ...careRelationshipMutations, ...sensitiveRecordMutations },
    PatientConnection: pageWithAccessFacts,
    Patient: { ...(resolvers.Patient as Record<string, GraphQLFieldResolver<unknown, unknown>>), rectificationRequests: rectificationRequestsOfPatient, _accessFacts: accessFactsOfPatient },
  },
  createLoaders: createPatientLoaders,
  seed: seedPatients,
  internal: patientPolicyEndpoints,
};
