import type { SubgraphDefinition } from '@clinic/service-kit';
import { entities } from './entities.js';
import { createEmployeeLoaders, type EmployeeLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { employeePolicyEndpoints } from './policy-endpoints.js';
import { resolvers } from './resolvers.js';
import { seedEmployees } from './seed.js';

export const employeeSubgraph: SubgraphDefinition<EmployeeLoaders> = {
  name: 'employee',
  entities,
  migrations,
  resolvers,
  createLoaders: createEmployeeLoaders,
  seed: seedEmployees,
  internal: employeePolicyEndpoints,
};
