import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';

const CREATE = `mutation Create($input: AccessRestrictionInput!) {
  createAccessRestriction(input: $input) { id patientId employeeId role fields reason from to lifted }
}`;
const LIFT = 'mutation Lift($id: ID!) { liftAccessRestriction(id: $id) { id lifted to } }';

describe.each(testBackends())('per-patient restrictions on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const privacyOfficer = { as: 'privacy.fortin' };
  const bouchardReadsCaron = () => system.query('{ patient(id: "p-caron") { medications { name } vitals { kind } } }', undefined, { as: 'nurse.bouchard' });

  it('takes effect on the very next request and lifting it restores access', async () => {
    const before = await bouchardReadsCaron();
    expectDecision(before, ['patient', 'medications'], 'allow');

    const created = await system.query<{ createAccessRestriction: { id: string; fields: string[]; lifted: boolean; employeeId: string; from: string; to: null } }>(
      CREATE,
      { input: { patientId: 'p-caron', employeeId: 'e-bouchard', fields: ['Patient.medications'], reason: 'Patient asked on the phone.' } },
      privacyOfficer,
    );
    expect(created.errors).toBeUndefined();
    const restriction = created.data?.createAccessRestriction;
    expect(restriction).toMatchObject({ employeeId: 'e-bouchard', fields: ['Patient.medications'], lifted: false, to: null });

    const during = await bouchardReadsCaron();
    expectDecision(during, ['patient', 'medications'], 'RESTRICTED');
    expect(during.data).toMatchObject({ patient: { vitals: [{ kind: 'GLUCOSE' }] } });
    // The patient sees the restriction on their record.
    const seen = await system.query<{ patient: { accessRestrictions: { id: string }[] } }>('{ patient(id: "p-caron") { accessRestrictions { id } } }', undefined, { as: 'patient.caron' });
    expect(seen.data?.patient.accessRestrictions.map((r) => r.id)).toContain(restriction?.id);

    const lifted = await system.query<{ liftAccessRestriction: { lifted: boolean; to: string | null } }>(LIFT, { id: restriction?.id }, privacyOfficer);
    expect(lifted.data?.liftAccessRestriction.lifted).toBe(true);
    expect(lifted.data?.liftAccessRestriction.to).not.toBeNull();
    expectDecision(await bouchardReadsCaron(), ['patient', 'medications'], 'allow');
  });

  it('restricts a whole role, beating a duty grant', async () => {
    const created = await system.query<{ createAccessRestriction: { id: string } }>(
      CREATE,
      { input: { patientId: 'p-bergeron', role: 'PHYSICIAN', fields: ['Patient.diagnoses', 'Patient.vitals'], reason: 'Second opinion pending.' } },
      privacyOfficer,
    );
    expect(created.errors).toBeUndefined();
    const res = await system.query('{ patient(id: "p-bergeron") { diagnoses { code } allergies } }', undefined, { as: 'dr.nguyen' });
    expectDecision(res, ['patient', 'diagnoses'], 'RESTRICTED');
    expect(res.data).toMatchObject({ patient: { allergies: [] } });
    await system.query(LIFT, { id: created.data?.createAccessRestriction.id }, privacyOfficer);
    expectDecision(await system.query('{ patient(id: "p-bergeron") { diagnoses { code } } }', undefined, { as: 'dr.nguyen' }), ['patient', 'diagnoses'], 'allow');
  });

  it('is managed by the privacy officer only', async () => {
    for (const who of ['dr.tremblay', 'reception.roy', 'patient.caron', 'hr.lavoie']) {
      const res = await system.query(CREATE, { input: { patientId: 'p-caron', role: 'NURSE', fields: ['Patient.phone'], reason: 'x' } }, { as: who, mfa: true });
      expectDecision(res, ['createAccessRestriction'], 'ROLE');
      const lift = await system.query(LIFT, { id: 'r-2' }, { as: who, mfa: true });
      expectDecision(lift, ['liftAccessRestriction'], 'ROLE');
    }
    // r-2 is still in force.
    expectDecision(await system.query('{ patient(id: "p-caron") { address } }', undefined, { as: 'reception.roy' }), ['patient', 'address'], 'RESTRICTED');
  });

  it('refuses invalid restrictions with BAD_USER_INPUT saying what is wrong, and stores nothing', async () => {
    const countBefore = await system.query<{ patient: { accessRestrictions: unknown[] } }>('{ patient(id: "p-ouellet") { accessRestrictions { id } } }', undefined, privacyOfficer);
    const invalid: [Record<string, unknown>, RegExp][] = [
      [{ patientId: 'p-ouellet', role: 'NURSE', fields: ['Patient.shoeSize'], reason: 'r' }, /unknown or unrestrictable fields: Patient\.shoeSize/],
      [{ patientId: 'p-ouellet', role: 'NURSE', fields: ['Employee.salary'], reason: 'r' }, /unknown or unrestrictable/],
      [{ patientId: 'p-ouellet', role: 'NURSE', fields: ['Patient.id'], reason: 'r' }, /unknown or unrestrictable/],
      [{ patientId: 'p-ouellet', role: 'NURSE', fields: [], reason: 'r' }, /at least one field/],
      [{ patientId: 'p-ouellet', fields: ['Patient.phone'], reason: 'r' }, /exactly one subject/],
      [{ patientId: 'p-ouellet', employeeId: 'e-gagnon', role: 'NURSE', fields: ['Patient.phone'], reason: 'r' }, /exactly one subject/],
      [{ patientId: 'p-ouellet', role: 'PATIENT', fields: ['Patient.phone'], reason: 'r' }, /staff role/],
      [{ patientId: 'p-nobody', role: 'NURSE', fields: ['Patient.phone'], reason: 'r' }, /No patient with id "p-nobody"/],
      [{ patientId: 'p-ouellet', role: 'NURSE', fields: ['Patient.phone'], reason: '   ' }, /reason/],
    ];
    for (const [input, message] of invalid) {
      const res = await system.query(CREATE, { input }, privacyOfficer);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    const liftUnknown = await system.query(LIFT, { id: 'r-nope' }, privacyOfficer);
    expect(liftUnknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const countAfter = await system.query<{ patient: { accessRestrictions: unknown[] } }>('{ patient(id: "p-ouellet") { accessRestrictions { id } } }', undefined, privacyOfficer);
    expect(countAfter.data?.patient.accessRestrictions).toHaveLength(countBefore.data?.patient.accessRestrictions.length ?? -1);
  });

  it('refuses to lift a restriction twice', async () => {
    const created = await system.query<{ createAccessRestriction: { id: string } }>(
      CREATE,
      { input: { patientId: 'p-dion', role: 'RECEPTIONIST', fields: ['Patient.phone'], reason: 'Asked by the patient.' } },
      privacyOfficer,
    );
    const id = created.data?.createAccessRestriction.id;
    expect((await system.query(LIFT, { id }, privacyOfficer)).errors).toBeUndefined();
    const again = await system.query(LIFT, { id }, privacyOfficer);
    expect(again.errors?.[0]).toMatchObject({ message: 'The access restriction is already lifted', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
