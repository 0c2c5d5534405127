// `npm run policy:explain -- <username> <patientId|employeeId|appointmentId|invoiceId> <Type.field> [--mfa]`
// Prints the decision the gateway would take and the chain of rules that led to it, on the local
// databases (data/, or the *_DATABASE_URL variables), with the same rules and the same policy data.
import { billingSubgraph } from '@clinic/billing-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { CLINIC_POLICY, demoUser, EMPLOYMENT_ENDS_KEY, explainDecision, openAuditStore, RECORD_KEY, RequestPolicy, RULES } from '@clinic/gateway';
import { patientSubgraph } from '@clinic/patient-service';
import { openSubgraphDatabase, prepareSubgraphDatabase, type SubgraphDefinition } from '@clinic/service-kit';
import { inProcessPolicyClient } from './lib/in-process-policy-client.js';

const args = process.argv.slice(2).filter((a) => a !== '--mfa');
const [username, targetId, coordinate] = args;
const [typeName, fieldName] = (coordinate ?? '').split('.');
const user = username ? demoUser(username) : undefined;
const checks = typeName && fieldName ? RULES[typeName]?.[fieldName] : undefined;
if (!user || !targetId || !checks) {
  console.error('usage: npm run policy:explain -- <username> <patientId|employeeId|appointmentId|invoiceId> <Type.field> [--mfa]');
  if (username && !user) console.error(`unknown user ${username}`);
  if (coordinate && !checks) console.error(`no rule for ${coordinate} (see docs/access-matrix.md)`);
  process.exit(2);
}

const definitions = { patient: patientSubgraph, employee: employeeSubgraph, billing: billingSubgraph } as Record<'patient' | 'employee' | 'billing', SubgraphDefinition<unknown>>;
const services = {} as Parameters<typeof inProcessPolicyClient>[0];
for (const [name, def] of Object.entries(definitions) as ['patient' | 'employee' | 'billing', SubgraphDefinition<unknown>][]) {
  const db = await openSubgraphDatabase(def);
  await prepareSubgraphDatabase(def, db, { seed: true });
  services[name] = { def, db };
}
const stores: { close(): Promise<void> }[] = [];
try {
  const viewer = { id: user.id, role: user.role, mfa: process.argv.includes('--mfa') };
  const policy = inProcessPolicyClient(services);
  const now = new Date();
  console.log(`${user.username} (${viewer.role} ${viewer.id}, ${viewer.mfa ? 'with' : 'without'} MFA) reading ${coordinate} of ${targetId}`);
  console.log(`  rules version: ${CLINIC_POLICY.version}`);
  if (viewer.role !== 'PATIENT') {
    const status = await policy.employeeStatus(viewer.id, now);
    if (!status.exists || !status.active || status.role !== viewer.role) {
      console.log('  token refused: the employee is not active (UNAUTHENTICATED)\ndecision: DENY (UNAUTHENTICATED)');
      process.exit(0);
    }
  }
  const store = await openAuditStore();
  stores.push(store);
  const access = new RequestPolicy(CLINIC_POLICY, viewer, now, policy, (id, at) => store.emergencyAccess.openFor(id, at));
  // An employee comes with the day their employment ended, as the employee subgraph sends it to the gateway.
  const record: Record<string, unknown> = { [RECORD_KEY]: targetId };
  if (typeName === 'Employee') {
    const em = services.employee.db.fork();
    const [row] = await em.getConnection().execute<{ termination_date: string | null }[]>('select termination_date from employee where id = ?', [targetId]);
    record[EMPLOYMENT_ENDS_KEY] = row?.termination_date ?? null;
  }
  const outcome = await explainDecision(access, coordinate as string, record, { id: targetId, patientId: targetId, input: { patientId: targetId } });
  outcome.steps.forEach(({ check, verdict }, index) => {
    console.log(`  ${index + 1}. ${check}: ${verdict.allow ? 'allow' : `DENY (${verdict.reason})`}: ${verdict.because}`);
  });
  if (outcome.facts) {
    const { duties, restrictions } = outcome.facts;
    console.log(`  facts: ${duties.length ? duties.map((d) => d.detail).join(', ') : 'no duty'}; ${restrictions.length ? restrictions.map((r) => `restriction ${r.id} on ${r.fields.join(', ')}`).join('; ') : 'no restriction names the reader'}`);
  }
  console.log(`decision: ${outcome.decision.allow ? 'ALLOW' : `DENY (${outcome.decision.reason})`}`);
} finally {
  for (const { db } of Object.values(services)) await db.close();
  for (const store of stores) await store.close();
}
