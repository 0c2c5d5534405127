import type { SubgraphDefinition } from '@clinic/service-kit';
import { entities } from './entities.js';
import { createPatientLoaders, type PatientLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { patientPolicyEndpoints } from './policy-endpoints.js';
import { resolvers } from './resolvers.js';
import { seedPatients } from './seed.js';

export const patientSubgraph: SubgraphDefinition<PatientLoaders> = {
  name: 'patient',
  entities,
  migrations,
  resolvers,
  createLoaders: createPatientLoaders,
  seed: seedPatients,
  internal: patientPolicyEndpoints,
};
