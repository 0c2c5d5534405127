import { runSubgraph } from '@clinic/service-kit';
import { patientSubgraph } from './index.js';

await runSubgraph(patientSubgraph);
