// `npm run watch:scan`: the watch over allowed reads (issue 15) as a command, on the local databases
// (data/, or the *_DATABASE_URL variables): reads the audit log from where the watch stopped, opens
// the review items it finds (one per case: running it again opens nothing twice) and says how many.
// The same code as the gateway's periodic job; settings from the WATCH_* variables.
import { billingSubgraph } from '@clinic/billing-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { openAuditStore, ReadWatch, watchSettings } from '@clinic/gateway';
import { patientSubgraph } from '@clinic/patient-service';
import { openSubgraphDatabase, prepareSubgraphDatabase, type SubgraphDefinition } from '@clinic/service-kit';
import { inProcessPolicyClient } from './lib/in-process-policy-client.js';

const settings = watchSettings();
const definitions = { patient: patientSubgraph, employee: employeeSubgraph, billing: billingSubgraph } as Record<'patient' | 'employee' | 'billing', SubgraphDefinition<unknown>>;
const services = {} as Parameters<typeof inProcessPolicyClient>[0];
for (const [name, def] of Object.entries(definitions) as ['patient' | 'employee' | 'billing', SubgraphDefinition<unknown>][]) {
  const db = await openSubgraphDatabase(def);
  await prepareSubgraphDatabase(def, db, { seed: false });
  services[name] = { def, db };
}
const store = await openAuditStore();
try {
  const opened = await new ReadWatch(store.db, store.reviews, inProcessPolicyClient(services), settings).scan();
  console.log(`watch:scan: ${opened} review item(s) opened`);
} finally {
  for (const { db } of Object.values(services)) await db.close();
  await store.close();
}
