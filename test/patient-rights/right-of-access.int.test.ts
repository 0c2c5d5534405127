import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

/** Every field of a patient's record, with a selection for the object ones. */
const WHOLE_RECORD = `
  id firstName lastName dateOfBirth sex phone email address healthInsuranceNumber
  allergies medications { name dosage } diagnoses { code description recordedAt } vitals { kind value recordedAt }
  documents { id kind title createdAt } clinicalNotes { id text writtenAt author { id firstName lastName } }
  appointments { id startsAt reason status practitioner { id lastName } } careTeam { kind since until employee { id lastName } }
  accessRestrictions { id patientId employeeId role fields reason from to lifted }
  accessLog { at staffName role categories }
  communicationConsent { appointmentReminders newsletter }
  rectificationRequests { id field status }
  invoices { id serviceDate amount status diagnosisCode payments { method amount } } balance
`;

describe.each(testBackends())('a patient reading their own record (right of access) on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('serves every field of the record to the patient, access log and restrictions included', async () => {
    // A staff read first, so that the access log has something to show.
    await system.query('{ patient(id: "p-caron") { allergies medications { name } } }', undefined, { as: 'nurse.gagnon' });
    const res = await system.query<{ patient: Record<string, unknown> }>(`{ patient(id: "p-caron") { ${WHOLE_RECORD} } }`, undefined, { as: 'patient.caron', mfa: true });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const record = res.data?.patient ?? {};
    for (const [field, value] of Object.entries(record)) expect(value, field).not.toBeNull();
    expect(record).toMatchObject({
      lastName: 'Caron',
      healthInsuranceNumber: 'CARJ62072118',
      clinicalNotes: [{ id: 'n-car-1' }],
      accessRestrictions: [{ id: 'r-2', role: 'RECEPTIONIST', fields: ['Patient.address', 'Patient.email'], lifted: false }],
      communicationConsent: { appointmentReminders: true, newsletter: true },
      rectificationRequests: [],
      invoices: [{ id: 'i-2' }, { id: 'i-3' }],
    });
    expect(record.accessLog).toContainEqual(expect.objectContaining({ staffName: 'Isabelle Gagnon', role: 'NURSE', categories: ['CLINICAL'] }));
  });

  it('asks for two-factor authentication for the clinical notes only', async () => {
    const res = await system.query(`{ patient(id: "p-caron") { ${WHOLE_RECORD} } }`, undefined, { as: 'patient.caron' });
    expectDecision(res, ['patient', 'clinicalNotes'], 'MFA_REQUIRED');
    expect(res.errors).toHaveLength(1);
    expect(res.data).toMatchObject({ patient: { accessLog: expect.any(Array), accessRestrictions: expect.any(Array), documents: [] } });
  });

  it("refuses another patient's record, access log and restrictions", async () => {
    for (const field of ['accessLog { at }', 'accessRestrictions { id }', 'rectificationRequests { id }', 'lastName']) {
      const res = await system.query(`{ patient(id: "p-lefebvre") { ${field} } }`, undefined, { as: 'patient.caron', mfa: true });
      expectDecision(res, ['patient'], 'ROLE');
    }
  });

  it('shows the access log and restrictions to the privacy officer, not to clinical staff', async () => {
    const query = '{ patient(id: "p-caron") { accessLog { role } accessRestrictions { id } } }';
    const officer = await system.query(query, undefined, { as: 'privacy.fortin' });
    expect(officer.errors).toBeUndefined();
    const physician = await system.query(query, undefined, { as: 'dr.tremblay', mfa: true });
    expectDecision(physician, ['patient', 'accessLog'], 'ROLE');
    expectDecision(physician, ['patient', 'accessRestrictions'], 'ROLE');
  });
});
