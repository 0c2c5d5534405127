import { runSubgraph } from '@clinic/service-kit';
import { employeeSubgraph } from './index.js';

await runSubgraph(employeeSubgraph);
