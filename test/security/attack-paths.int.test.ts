import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { leakedTo, neverVisibleTo } from '../support/secrets.js';

/** Ways to reach a field: direct, aliased, through fragments, through other types' paths. */
const PATHS: { who: string; mfa?: boolean; query: string }[] = [
  { who: 'reception.roy', query: '{ patient(id: "p-caron") { home: address mail: email } }' },
  { who: 'reception.roy', query: '{ patient(id: "p-caron") { ...Where } } fragment Where on Patient { address email allergies }' },
  { who: 'reception.roy', query: '{ patient(id: "p-caron") { ... on Patient { address diagnoses { description } } } }' },
  { who: 'reception.roy', query: '{ appointments { patient { address email clinicalNotes { text } } } }' },
  { who: 'reception.roy', query: '{ patients(first: 100) { nodes { address email allergies medications { dosage } } edges { node { diagnoses { description } } } } }' },
  { who: 'reception.roy', query: '{ employees(first: 100) { nodes { homeAddress personalPhone socialInsuranceNumber bankAccount } } }' },
  { who: 'nurse.gagnon', mfa: true, query: '{ patient(id: "p-lefebvre") { diagnoses { description } medications { dosage } clinicalNotes { text } } }' },
  { who: 'nurse.gagnon', mfa: true, query: '{ patients(search: "lefebvre") { nodes { d: diagnoses { description } n: clinicalNotes { text } } } }' },
  { who: 'nurse.gagnon', mfa: true, query: '{ me { employee { lastName } } appointments(day: "2000-01-01") { id } patient(id: "p-ouellet") { allergies phone } }' },
  { who: 'billing.cote', query: '{ invoice(id: "i-2") { patient { phone address allergies clinicalNotes { text } } } }' },
  { who: 'accounting.morin', mfa: true, query: '{ invoice(id: "i-1") { diagnosisCode patient { lastName healthInsuranceNumber } } }' },
  { who: 'hr.lavoie', mfa: true, query: '{ patient(id: "p-caron") { lastName phone } patients { nodes { lastName } } appointments { patient { lastName } } }' },
  { who: 'manager.girard', mfa: true, query: '{ employee(id: "e-roy") { socialInsuranceNumber bankAccount homeAddress } }' },
  { who: 'patient.caron', mfa: true, query: '{ patient(id: "p-lefebvre") { lastName diagnoses { description } } invoice(id: "i-1") { patient { address } } }' },
  { who: 'patient.caron', mfa: true, query: '{ employee(id: "e-tremblay") { personalPhone homeAddress } me { patient { clinicalNotes { author { homeAddress } } } } }' },
  { who: 'consult.pelletier', mfa: true, query: '{ patient(id: "p-caron") { allergies clinicalNotes { text } } patient2: patient(id: "p-ouellet") { phone address } }' },
];

describe.each(testBackends())('attack paths on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('knows secrets to look for (the check can fail)', () => {
    expect(neverVisibleTo('reception.roy')).toEqual(expect.arrayContaining(['1200 av. McGill College, Montréal QC H3B 4G7', 'Penicillin']));
    expect(neverVisibleTo('nurse.gagnon')).toContain('Moderate depressive episode');
    expect(leakedTo('reception.roy', '{"address":"1200 av. McGill College, Montréal QC H3B 4G7"}')).toHaveLength(1);
  });

  it.each(PATHS.map((p) => [`${p.who}: ${p.query}`, p] as const))('never returns a value the reader may not see: %s', async (_title, path) => {
    const response = await fetch(system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token(path.who, { mfa: path.mfa ?? false })}` },
      body: JSON.stringify({ query: path.query }),
    });
    const text = await response.text();
    expect(response.status).toBeLessThan(500);
    expect(leakedTo(path.who, text)).toEqual([]);
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    for (const error of body.errors ?? []) {
      expect(['FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND']).toContain(error.extensions?.code);
    }
  });

  it('does not even ask a subgraph for fields the role can never read', async () => {
    const statements = async (query: string) => {
      const before = system.sqlStatements().patient;
      await system.query(query, undefined, { as: 'reception.roy' });
      return system.sqlStatements().patient - before;
    };
    const plain = await statements('{ patient(id: "p-bergeron") { lastName } }');
    const withClinical = await statements('{ patient(id: "p-bergeron") { lastName allergies diagnoses { code } clinicalNotes { text } vitals { value } } }');
    expect(withClinical).toBe(plain);
    const withSchedule = await statements('{ patient(id: "p-bergeron") { lastName appointments { id } } }');
    expect(withSchedule).toBeGreaterThan(plain);
  });
});
