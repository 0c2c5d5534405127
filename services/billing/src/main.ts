import { runSubgraph } from '@clinic/service-kit';
import { billingSubgraph } from './index.js';

await runSubgraph(billingSubgraph);
