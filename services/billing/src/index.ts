import type { SubgraphDefinition } from '@clinic/service-kit';
import { entities } from './entities.js';
import { createBillingLoaders, type BillingLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { billingPolicyEndpoints } from './policy-endpoints.js';
import { resolvers } from './resolvers.js';
import { seedBilling } from './seed.js';

export const billingSubgraph: SubgraphDefinition<BillingLoaders> = {
  name: 'billing',
  entities,
  migrations,
  resolvers,
  createLoaders: createBillingLoaders,
  seed: seedBilling,
  internal: billingPolicyEndpoints,
};
