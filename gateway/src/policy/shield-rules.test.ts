import { execute, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware } from 'graphql-middleware';
import { describe, expect, it } from 'vitest';
import { AccessRecorder } from '../audit/access-recorder.js';
import { createAccessContext } from './access-context.js';
import { always, decidedByTheFieldThatReachedIt, dutyThrough, isAuthenticated, isOneOf, mayReadPatient, notRestrictedFor, theParentPatient, type AccessTable, type Check } from './checks.js';
import type { PatientAccessFacts, PolicyClient } from './policy-client.js';
import { RECORD_KEY } from './record-keys.js';
import { shieldFromRules } from './shield-rules.js';

// A small schema with the shapes of the real one: a list of patients, fields of two categories,
// a nested value type. The policy client is an in-memory stand-in that counts its calls.
const typeDefs = /* GraphQL */ `
  type Query { patients: [Patient!]! }
  type Patient { id: ID! name: String phone: String allergies: [String!] vitals: [Vital!] }
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

type Category = 'IDENTITY' | 'CONTACT' | 'CLINICAL';
const onDuty = dutyThrough('onDuty', 'with a duty', ['CARE_ASSIGNMENT', 'EMERGENCY_ACCESS']);
const table = { NURSE: { IDENTITY: always, CONTACT: onDuty, CLINICAL: onDuty } } as unknown as AccessTable<Category>;

/** Wraps a check so that the test sees how often it runs. */
function counted(check: Check, runs: Map<string, number>): Check {
  return { ...check, evaluate: (input) => (runs.set(check.name, (runs.get(check.name) ?? 0) + 1), check.evaluate(input)) };
}

async function run(rules: Record<string, Record<string, Check[]>>, query: string) {
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: { patients: () => PATIENTS.map((id) => ({ id, [RECORD_KEY]: id, name: `N${id}`, phone: `555-${id}`, allergies: ['Latex'], vitals: [{ value: '72' }] })) },
    },
  });
  const policy = countingPolicy();
  const emergencyLookups: string[][] = [];
  const access = createAccessContext({ id: 'e-nurse', role: 'NURSE', mfa: false }, policy.client, new Date(), async (_reader, patientIds) => {
    emergencyLookups.push([...patientIds]);
    return [];
  });
  const audit = new AccessRecorder();
  const result = await execute({ schema: applyMiddleware(schema, shieldFromRules(schema, rules)), document: parse(query), contextValue: { access, audit } });
  return { result, batches: policy.batches, emergencyLookups, audit };
}

describe('graphql-shield rules built from the rules map', () => {
  const runs = new Map<string, number>();
  const gate = counted(isOneOf(['NURSE']), runs);
  const read = (category: Category, field: string) => [counted(isAuthenticated, runs), counted(mayReadPatient(table, category, theParentPatient), runs), counted(notRestrictedFor(`Patient.${field}`, theParentPatient), runs)];
  const rules = {
    Query: { patients: [isAuthenticated, gate] },
    // `name` is ruled by the role alone, like the list: a decision that does not depend on the row.
    Patient: { id: read('IDENTITY', 'id'), name: [isAuthenticated, gate], phone: read('CONTACT', 'phone'), allergies: read('CLINICAL', 'allergies'), vitals: read('CLINICAL', 'vitals') },
    Vital: { value: [decidedByTheFieldThatReachedIt] },
  };

  it('decides row by row from one batched look-up, and takes a decision that does not depend on the row once per request', async () => {
    runs.clear();
    const { result, batches, emergencyLookups, audit } = await run(rules, '{ patients { id name phone allergies vitals { value } } }');
    const rows = result.data?.patients as { id: string; name: string | null; phone: string | null; allergies: string[] | null; vitals: unknown }[];
    expect(rows).toHaveLength(20);
    // Per-row decisions: no duty toward p-3 (clinical and contact refused), p-5 restricts the phone.
    expect(rows[3]).toEqual({ id: 'p-3', name: 'Np-3', phone: null, allergies: null, vitals: null });
    expect(rows[5]).toMatchObject({ phone: null, allergies: ['Latex'] });
    expect(rows[7]).toEqual({ id: 'p-7', name: 'Np-7', phone: '555-p-7', allergies: ['Latex'], vitals: [{ value: '72' }] });
    expect(result.errors?.map((e) => `${e.path?.join('.')} ${e.extensions.reason as string}`).sort()).toEqual(
      ['patients.3.allergies NO_DUTY', 'patients.3.phone NO_DUTY', 'patients.3.vitals NO_DUTY', 'patients.5.phone RESTRICTED'].sort(),
    );
    // One policy look-up for the 20 patients; emergency accesses asked only for the patient without a duty.
    expect(batches).toEqual([PATIENTS]);
    expect(emergencyLookups).toEqual([['p-3']]);
    // The role gate does not depend on the row: evaluated once for the request (list and 20 names), not per row.
    expect(runs.get('isOneOf(NURSE)')).toBe(1);
    // Every guarded field of every row is checked; the category verdict is computed once per patient.
    expect(runs.get('mayRead(CLINICAL of the patient)')).toBe(40);
    expect(audit.groups().find((g) => g.patientId === 'p-3' && g.decision === 'DENY')).toMatchObject({ reason: 'NO_DUTY', fields: ['Patient.allergies', 'Patient.phone', 'Patient.vitals'] });
  });

  it('shares a category verdict between the fields of a patient, so the duty is worked out once per patient and category', async () => {
    let holds = 0;
    const countedDuty = { ...onDuty, holds: (input: Parameters<typeof onDuty.holds>[0], id: string) => ((holds += 1), onDuty.holds(input, id)) };
    const countingTable = { NURSE: { IDENTITY: always, CONTACT: countedDuty, CLINICAL: countedDuty } } as unknown as AccessTable<Category>;
    const clinical = (field: string) => [isAuthenticated, mayReadPatient(countingTable, 'CLINICAL', theParentPatient), notRestrictedFor(`Patient.${field}`, theParentPatient)];
    const { result } = await run(
      { ...rules, Patient: { ...rules.Patient, allergies: clinical('allergies'), vitals: clinical('vitals') } },
      '{ patients { id allergies vitals { value } } }',
    );
    expect((result.data?.patients as unknown[]).length).toBe(20);
    // Two clinical fields on 20 patients: 20 duty decisions, not 40.
    expect(holds).toBe(20);
  });
});
