// `npm run seed [-- --reset]`: migrates every subgraph's database and seeds the demo clinic where it
// was never seeded; --reset drops everything first and seeds again with today's dates. The gateway's
// audit store gets the demo clinic's past (reads, refusals, emergency accesses) when it holds none
// (it is append-only: --reset leaves it).
import { createLogger, openSubgraphDatabase, prepareSubgraphDatabase, type SubgraphDefinition } from '@clinic/service-kit';
import { billingSubgraph } from '@clinic/billing-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { patientSubgraph } from '@clinic/patient-service';
import { openAuditStore, seedAuditHistory } from '@clinic/gateway';
import { ClinicCalendar, loadDemoClinic } from '@clinic/schema';

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

const store = await openAuditStore({ logger });
try {
  console.log(`seed: audit store (${store.db.target.kind}): ${await seedAuditHistory(store, loadDemoClinic(), new ClinicCalendar())}`);
} finally {
  await store.close();
}
