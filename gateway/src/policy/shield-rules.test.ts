import { execute, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import type { Role } from '@clinic/schema';
import { RequestAudit } from '../audit/request-audit.js';
import type { AuditEntry } from '../audit-store/audit-log.js';
import type { GatewayContext } from '../context.js';
import { requestFacts } from '../request-facts.js';
import { WithheldRows } from '../withheld-rows.js';
import { always, auditedUnder, decidedByTheFieldThatReachedIt, dutyThrough, isAuthenticated, isOneOf, mayReadPatient, notRestrictedFor, theParentPatient, withMfa, type AccessTable, type Condition } from './checks.js';
import { compilePolicy, type RuleMap } from './compiled-policy.js';
import type { PatientAccessFacts, PolicyClient } from './policy-client.js';
import { RECORD_KEY } from './record-keys.js';
import { RequestPolicy } from './request-policy.js';
import { applyShield } from './apply-shield.js';
import { shieldFromPolicy } from './shield-rules.js';

// A small schema with the shapes of the real one: a list of patients, fields of two categories,
// a nested value type. The policy client is an in-memory stand-in that counts its calls.
const typeDefs = /* GraphQL */ `
  type Query { patients: [Patient!]! }
  type Patient { id: ID! name: String phone: String allergies: [String!] vitals: [Vital!] notes: String }
  type Vital { value: String }
`;
const PATIENTS = Array.from({ length: 20 }, (_, i) => `p-${i}`);
/** The reader has a duty toward every patient but p-3; p-5 restricts the reader from their phone. */
const facts = (id: string): PatientAccessFacts => ({
  patientId: id,
  exists: true,
  duties: id === 'p-3' ? [] : [{ kind: 'CARE_ASSIGNMENT', detail: 'open care assignment (ASSIGNED_NURSE)' }],
  restrictions: id === 'p-5' ? [{ id: 'r-1', fields: ['Patient.phone'] }] : [],
});

function countingPolicy() {
  const batches: string[][] = [];
  const client = {
    calls: 0,
    async patientAccess(_reader: unknown, ids: readonly string[]) {
      batches.push([...ids]);
      return ids.map(facts);
    },
  } as unknown as PolicyClient;
  return { client, batches };
}

type Category = 'IDENTITY' | 'CONTACT' | 'CLINICAL' | 'NOTES';
/** A duty condition that counts how often the row question is asked. */
function countedDuty(counter: { asked: number }): Condition {
  const duty = dutyThrough('onDuty', 'with a duty', ['CARE_ASSIGNMENT', 'EMERGENCY_ACCESS']);
  return {
    ...duty,
    compile: (reader) => {
      const compiled = duty.compile(reader);
      return compiled.kind === 'row' ? { kind: 'row', test: (input) => ((counter.asked += 1), compiled.test(input)) } : compiled;
    },
  };
}

function rulesWith(counter: { asked: number }): RuleMap {
  const onDuty = countedDuty(counter);
  const table = { NURSE: { IDENTITY: always, CONTACT: onDuty, CLINICAL: onDuty, NOTES: onDuty }, HR: {} } as unknown as AccessTable<Category>;
  const read = (category: Category, field: string, mfa = false) => [
    isAuthenticated,
    mayReadPatient(table, category, theParentPatient),
    notRestrictedFor(`Patient.${field}`, theParentPatient),
    ...(mfa ? [withMfa] : []),
    auditedUnder(theParentPatient),
  ];
  return {
    Query: { patients: [isAuthenticated, isOneOf(['NURSE', 'HR'])] },
    Patient: { id: read('IDENTITY', 'id'), name: [isAuthenticated, isOneOf(['NURSE'])], phone: read('CONTACT', 'phone'), allergies: read('CLINICAL', 'allergies'), vitals: read('CLINICAL', 'vitals'), notes: read('NOTES', 'notes', true) },
    Vital: { value: [decidedByTheFieldThatReachedIt] },
  };
}

async function run(query: string, role: Role = 'NURSE') {
  const counter = { asked: 0 };
  const compiled = compilePolicy(rulesWith(counter), {});
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: { patients: () => PATIENTS.map((id) => ({ id, [RECORD_KEY]: id, name: `N${id}`, phone: `555-${id}`, allergies: ['Latex'], vitals: [{ value: '72' }], notes: 'n' })) },
    },
  });
  const policy = countingPolicy();
  const emergencyLookups: string[] = [];
  const viewer = { id: 'e-reader', role, mfa: false };
  const request = requestFacts({ viewer, now: new Date(), requestId: 'r-1', clientName: null });
  const access = new RequestPolicy(compiled, viewer, request.now, policy.client, async (readerId) => {
    emergencyLookups.push(readerId);
    return [];
  });
  const written: AuditEntry[] = [];
  const audit = new RequestAudit(request, { append: async (entries) => void written.push(...entries) }, () => access.loadEmergency());
  const contextValue = { request, access, audit, withheld: new WithheldRows() } as unknown as GatewayContext;
  const result = await execute({ schema: applyShield(schema, shieldFromPolicy(schema, compiled)), document: parse(query), contextValue });
  await audit.flush('Q');
  return { result, batches: policy.batches, emergencyLookups, written, counter };
}

describe('graphql-shield rules from the compiled policy', () => {
  it('decides row by row from one batched look-up, and records one audit event per decision group', async () => {
    const { result, batches, emergencyLookups, written } = await run('{ patients { id name phone allergies vitals { value } } }');
    const rows = result.data?.patients as { id: string; name: string | null; phone: string | null; allergies: string[] | null; vitals: unknown }[];
    expect(rows).toHaveLength(20);
    // Per-row decisions: no duty toward p-3 (clinical and contact refused), p-5 restricts the phone.
    expect(rows[3]).toEqual({ id: 'p-3', name: 'Np-3', phone: null, allergies: null, vitals: null });
    expect(rows[5]).toMatchObject({ phone: null, allergies: ['Latex'] });
    expect(rows[7]).toEqual({ id: 'p-7', name: 'Np-7', phone: '555-p-7', allergies: ['Latex'], vitals: [{ value: '72' }] });
    expect(result.errors?.map((e) => `${e.path?.join('.')} ${e.extensions.reason as string}`).sort()).toEqual(
      ['patients.3.allergies NO_DUTY', 'patients.3.phone NO_DUTY', 'patients.3.vitals NO_DUTY', 'patients.5.phone RESTRICTED'].sort(),
    );
    // One policy look-up for the 20 patients; the reader's emergency accesses asked once, because p-3 has no other duty.
    expect(batches).toEqual([PATIENTS]);
    expect(emergencyLookups).toEqual(['e-reader']);
    // One event per decision group, many patients each.
    const groups = written.map((e) => [e.decision, e.reason, e.fields.join(','), e.patientIds.length]);
    expect(groups).toEqual(
      expect.arrayContaining([
        ['ALLOW', null, 'Patient.allergies,Patient.id,Patient.phone,Patient.vitals', 18],
        ['ALLOW', null, 'Patient.allergies,Patient.id,Patient.vitals', 1],
        ['DENY', 'RESTRICTED', 'Patient.phone', 1],
        ['ALLOW', null, 'Patient.id', 1],
        ['DENY', 'NO_DUTY', 'Patient.allergies,Patient.phone,Patient.vitals', 1],
      ]),
    );
    expect(written).toHaveLength(5);
    expect(written.find((e) => e.reason === 'NO_DUTY')?.patientIds).toEqual(['p-3']);
  });

  it('asks the row nothing for a field the reader is refused whatever the row, and nothing twice for the emergency accesses', async () => {
    const { result, counter, batches, emergencyLookups } = await run('{ patients { id notes } }');
    // A nurse without two-factor authentication: the duty is still asked (the reason is NO_DUTY where it fails), then MFA refuses.
    const reasons = result.errors?.map((e) => e.extensions.reason);
    expect(reasons?.filter((r) => r === 'MFA_REQUIRED')).toHaveLength(19);
    expect(reasons?.filter((r) => r === 'NO_DUTY')).toHaveLength(1);
    // Once per row, and once more for p-3 when the reader's emergency accesses came in.
    expect(counter.asked).toBe(21);
    expect(batches).toHaveLength(1);
    expect(emergencyLookups).toHaveLength(1);
    // (Nullable fields only: a refused non-null id ends the list at its first row, so later rows are never read.)
    const hr = await run('{ patients { phone allergies } }', 'HR');
    // HR reads no patient information: every field is refused by its compiled plan, no fact is loaded.
    expect(hr.counter.asked).toBe(0);
    expect(hr.batches).toEqual([]);
    expect(new Set(hr.result.errors?.map((e) => e.extensions.reason))).toEqual(new Set(['ROLE']));
    expect(hr.written.map((e) => [e.decision, e.reason, e.patientIds.length])).toEqual([['DENY', 'ROLE', 20]]);
  });
});
