// `npm run policy:who-can-read -- <patientId> <Patient.field>` and `npm run policy:readable-by -- <employeeId>`:
// the privacy officer's reverse questions on the local databases (data/, or the *_DATABASE_URL
// variables), answered by the same compiled policy and functions as the gateway's `whoCanRead` and `readableBy`.
import { billingSubgraph } from '@clinic/billing-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { CLINIC_POLICY, openAuditStore, readableBy, whoCanRead } from '@clinic/gateway';
import { patientSubgraph } from '@clinic/patient-service';
import { openSubgraphDatabase, prepareSubgraphDatabase, type SubgraphDefinition } from '@clinic/service-kit';
import { inProcessPolicyClient } from './lib/in-process-policy-client.js';

const [question, ...args] = process.argv.slice(2);
if ((question !== 'who-can-read' || args.length !== 2) && (question !== 'readable-by' || args.length !== 1)) {
  console.error('usage: npm run policy:who-can-read -- <patientId> <Patient.field>  |  npm run policy:readable-by -- <employeeId>');
  process.exit(2);
}

const definitions = { patient: patientSubgraph, employee: employeeSubgraph, billing: billingSubgraph } as Record<'patient' | 'employee' | 'billing', SubgraphDefinition<unknown>>;
const services = {} as Parameters<typeof inProcessPolicyClient>[0];
for (const [name, def] of Object.entries(definitions) as ['patient' | 'employee' | 'billing', SubgraphDefinition<unknown>][]) {
  const db = await openSubgraphDatabase(def);
  await prepareSubgraphDatabase(def, db, { seed: true });
  services[name] = { def, db };
}
const store = await openAuditStore();
try {
  const client = inProcessPolicyClient(services);
  const now = new Date();
  if (question === 'who-can-read') {
    const [patientId, field] = args as [string, string];
    if (!CLINIC_POLICY.coordinates.includes(field) || !field.startsWith('Patient.')) throw new Error(`${field} is not a field of the patient record`);
    const answer = await whoCanRead(CLINIC_POLICY, client, (id, at) => store.emergencyAccess.towardPatient(id, at), patientId, field, now);
    console.log(`who can read ${field} of ${patientId} now:`);
    for (const r of answer) console.log(`  ${r.readerId} (${r.role})${r.needsMfa ? ' with two-factor authentication' : ''}\n    ${r.why.join('\n    ')}`);
  } else {
    const [employeeId] = args as [string];
    const employee = (await client.staffRoster(now)).find((e) => e.id === employeeId);
    if (!employee) {
      console.log(`${employeeId} is not employed today: reads nothing`);
    } else {
      const answer = await readableBy(CLINIC_POLICY, client, (id, at) => store.emergencyAccess.openFor(id, at), employee, now);
      console.log(`patients ${employeeId} (${employee.role}) can read now:`);
      for (const p of answer) console.log(`  ${p.patientId}: ${p.fields.map((f) => `${f}${p.fieldsNeedingMfa.includes(f) ? ' (MFA)' : ''}`).join(', ')}`);
    }
  }
} finally {
  for (const { db } of Object.values(services)) await db.close();
  await store.close();
}
