// `npm run seed [-- --reset]`: migrates every subgraph's database and seeds the demo clinic where it
// was never seeded; --reset drops everything first and seeds again with today's dates.
import { createLogger, openSubgraphDatabase, prepareSubgraphDatabase, type SubgraphDefinition } from '@clinic/service-kit';
import { billingSubgraph } from '@clinic/billing-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { patientSubgraph } from '@clinic/patient-service';

const reset = process.argv.includes('--reset');
const logger = createLogger('seed');
const definitions = [patientSubgraph, employeeSubgraph, billingSubgraph] as SubgraphDefinition<unknown>[];

for (const def of definitions) {
  const db = await openSubgraphDatabase(def, { logger });
  try {
    const outcome = await prepareSubgraphDatabase(def, db, { seed: true, reset });
    console.log(`seed: ${def.name} (${db.target.kind}): ${outcome}`);
  } finally {
    await db.close();
  }
}
