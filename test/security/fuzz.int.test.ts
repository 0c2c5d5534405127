import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoClinic } from '@clinic/schema';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { leakedTo } from '../support/secrets.js';

/** Random but valid queries over the supergraph: a root field and a random sub-selection of its type. */
const clinic = loadDemoClinic();
const PATIENT_IDS = clinic.patients.map((p) => p.id);
const EMPLOYEE_IDS = clinic.employees.map((e) => e.id);
const ACTIVE_USERS = [
  ...clinic.employees.filter((e) => e.terminationDayOffset === null).map((e) => e.username),
  ...clinic.patients.map((p) => p.username),
];

const employeeFields = fc.subarray(['id', 'firstName', 'lastName', 'jobTitle', 'role', 'workEmail', 'workPhone', 'homeAddress', 'personalPhone', 'dateOfBirth', 'hireDate', 'terminationDate', 'socialInsuranceNumber', 'salary', 'bankAccount'], { minLength: 1 });
const employeeSelection = employeeFields.map((fields) => `{ ${fields.join(' ')} }`);
const patientScalar = ['id', 'firstName', 'lastName', 'dateOfBirth', 'sex', 'phone', 'email', 'address', 'healthInsuranceNumber', 'allergies', 'balance'];

const patientSelection: fc.Arbitrary<string> = fc
  .tuple(
    fc.subarray(patientScalar, { minLength: 1 }),
    fc.subarray(
      [
        'medications { name dosage }',
        'diagnoses { code description }',
        'vitals { kind value }',
        'documents { id title }',
        'clinicalNotes { id text }',
        'communicationConsent { newsletter }',
        'accessRestrictions { id fields }',
        'accessLog { staffName }',
        'careTeam { kind employee { lastName homeAddress } }',
        'invoices { id amount diagnosisCode payments { method } }',
        'appointments { id reason practitioner { lastName personalPhone } }',
      ],
      { maxLength: 4 },
    ),
    fc.boolean(),
  )
  .map(([scalars, nested, asFragment]) => {
    const body = [...scalars, ...nested].join(' ');
    return asFragment ? `{ ... on Patient { ${body} } }` : `{ ${body} }`;
  });

const rootField = fc.oneof(
  fc.tuple(fc.constantFrom(...PATIENT_IDS), patientSelection).map(([id, s]) => `patient(id: "${id}") ${s}`),
  fc.tuple(fc.integer({ min: 1, max: 10 }), patientSelection).map(([n, s]) => `patients(first: ${n}) { nodes ${s} }`),
  patientSelection.map((s) => `appointments { id startsAt patient ${s} }`),
  fc.tuple(fc.constantFrom(...EMPLOYEE_IDS), employeeSelection).map(([id, s]) => `employee(id: "${id}") ${s}`),
  fc.tuple(fc.constantFrom('i-1', 'i-2', 'i-3', 'i-4'), patientSelection).map(([id, s]) => `invoice(id: "${id}") { amount diagnosisCode patient ${s} }`),
  employeeSelection.map((s) => `me { id role employee ${s} }`),
);

const request = fc.record({
  user: fc.constantFrom(...ACTIVE_USERS),
  mfa: fc.boolean(),
  fields: fc.array(rootField, { minLength: 1, maxLength: 3 }),
});

const ALLOWED_CODES = new Set(['FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND']);

describe.each(testBackends())('random queries by random users on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, gateway: { limits: { requestsPerMinute: 100_000 } } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('never answer 5xx, never leak a value the user may not see, and explain every null they refuse', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ user, mfa, fields }) => {
        const query = `{ ${fields.map((f, i) => `f${i}: ${f}`).join(' ')} }`;
        const response = await fetch(system.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token(user, { mfa })}` },
          body: JSON.stringify({ query }),
        });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        expect(leakedTo(user, text), `${user}: ${query}`).toEqual([]);
        const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; reason?: string } }[] };
        for (const error of body.errors ?? []) {
          expect(ALLOWED_CODES.has(error.extensions?.code ?? ''), JSON.stringify(error)).toBe(true);
          if (error.extensions?.code === 'FORBIDDEN') {
            expect(['UNAUTHENTICATED', 'ROLE', 'NO_DUTY', 'RESTRICTED', 'MFA_REQUIRED']).toContain(error.extensions.reason);
            const value = error.path?.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | null | undefined)?.[key], body.data);
            // A refused field is null (or was nulled up to a nullable parent); a list with withheld rows keeps the others.
            if (/row\(s\) withheld/.test(error.message)) expect(Array.isArray(value)).toBe(true);
            else expect(value ?? null).toBeNull();
          }
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60), seed: Number(process.env.FUZZ_SEED ?? 20261124), endOnFailure: true },
    );
  }, 120_000);
});
