import type { Appointment, Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoClinic } from '@clinic/schema';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem } from '../support/clinic-system.js';
import { clinicDay, clinicInstant, addDays } from '../support/clinic-time.js';
import { prepareFhirValidation, referencesIn, validateFhirR4 } from './fhir-validation.js';

const EXPORT = 'query Export { exportMyData }';

/**
 * Valid FHIR R4: no error from either validator. Medplum's reference check only warns about
 * `urn:uuid:` references (it cannot read a target type in them): each must name the bundle's Patient entry.
 */
function expectValidFhirR4(bundle: Bundle): void {
  const { errors, warnings } = validateFhirR4(bundle);
  expect(errors).toEqual([]);
  for (const warning of warnings) expect(warning).toMatch(/^structure: Invalid reference: got "urn:uuid:[0-9a-f-]{36}"/);
  const patientUrl = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.fullUrl;
  const references = referencesIn(bundle);
  expect(references.length).toBeGreaterThan(0);
  expect(new Set(references)).toEqual(new Set([patientUrl]));
}
const clinic = loadDemoClinic();

/** Personal values of one demo patient (the ones an export of someone else must never hold). */
function personalValuesOf(patientId: string): string[] {
  const p = clinic.patients.find((x) => x.id === patientId);
  if (!p) throw new Error(`no demo patient ${patientId}`);
  return [p.firstName, p.lastName, p.phone, p.email, p.address, p.healthInsuranceNumber, ...p.allergies, ...p.medications.map((m) => m.name), ...p.documents.map((d) => d.title)].filter(
    (v): v is string => typeof v === 'string' && v.length > 3,
  );
}

describe.each(testBackends())('portability: a patient exports their record as FHIR R4 on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    // Before the system starts: its first validation blocks the event loop for seconds.
    prepareFhirValidation();
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const exportAs = async (caller: Caller): Promise<Bundle> => {
    const res = await system.query<{ exportMyData: string }>(EXPORT, undefined, caller);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return JSON.parse(res.data?.exportMyData ?? 'null') as Bundle;
  };
  const resourcesOf = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource as Resource);
  const countOf = (bundle: Bundle, type: string) => resourcesOf(bundle).filter((r) => r.resourceType === type).length;

  it('returns a FHIR R4 Bundle valid against the official JSON schema and the R4 structure definitions', async () => {
    const bundle = await exportAs({ as: 'patient.dion' });
    expectValidFhirR4(bundle);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const [patient] = resourcesOf(bundle) as Patient[];
    expect(patient).toMatchObject({ resourceType: 'Patient', id: 'p-dion', name: [{ family: 'Dion', given: ['Paul'] }], gender: 'male' });
  });

  it('holds every part of the record the SPEC lists, one resource per row', async () => {
    const bundle = await exportAs({ as: 'patient.lefebvre' });
    expectValidFhirR4(bundle);
    const p = clinic.patients.find((x) => x.id === 'p-lefebvre');
    expect({
      Patient: countOf(bundle, 'Patient'),
      AllergyIntolerance: countOf(bundle, 'AllergyIntolerance'),
      MedicationStatement: countOf(bundle, 'MedicationStatement'),
      Condition: countOf(bundle, 'Condition'),
      Observation: countOf(bundle, 'Observation'),
      DocumentReference: countOf(bundle, 'DocumentReference'),
      Appointment: countOf(bundle, 'Appointment'),
    }).toEqual({
      Patient: 1,
      AllergyIntolerance: p?.allergies.length,
      MedicationStatement: p?.medications.length,
      Condition: p?.diagnoses.length,
      Observation: p?.vitals.length,
      DocumentReference: p?.documents.length,
      Appointment: clinic.appointments.filter((a) => a.patientId === 'p-lefebvre').length,
    });
    const json = JSON.stringify(bundle);
    for (const value of ['LEFM85510112', 'Penicillin', 'Sertraline', 'F32.1', '118/76', 'Annual check-up 2019', 'Follow-up']) expect(json).toContain(value);
  });

  it('gives every patient their own record and nobody else’s', async () => {
    for (const p of clinic.patients) {
      const bundle = await exportAs({ as: p.username });
      const patients = resourcesOf(bundle).filter((r) => r.resourceType === 'Patient') as Patient[];
      expect(patients.map((x) => x.id), p.id).toEqual([p.id]);
      const json = JSON.stringify(bundle).toLowerCase();
      for (const other of clinic.patients.filter((x) => x.id !== p.id)) {
        const leaked = personalValuesOf(other.id).filter((v) => json.includes(v.toLowerCase()));
        expect(leaked, `${p.id}'s export quotes ${other.id}`).toEqual([]);
      }
    }
  });

  it('cannot be asked for someone else: there is no argument, and headers do not change who the patient is', async () => {
    const withArgument = await system.query('{ exportMyData(patientId: "p-caron") }', undefined, { as: 'patient.lefebvre' });
    expect(withArgument.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(withArgument.data ?? null).toBeNull();
    const spoofed = await exportAs({ as: 'patient.lefebvre', headers: { 'x-viewer-id': 'p-caron', 'x-patient-id': 'p-caron' } });
    expect(resourcesOf(spoofed).filter((r) => r.resourceType === 'Patient').map((r) => r.id)).toEqual(['p-lefebvre']);
  });

  it('is for patients only', async () => {
    for (const caller of [{ as: 'dr.tremblay', mfa: true }, { as: 'privacy.fortin' }, { as: 'reception.roy' }, { as: 'hr.lavoie', mfa: true }]) {
      expectDecision(await system.query(EXPORT, undefined, caller), ['exportMyData'], 'ROLE');
    }
    const anonymous = await system.query(EXPORT);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is recorded in the audit log under the patient', async () => {
    await exportAs({ as: 'patient.bergeron' });
    const log = await system.query<{ auditLog: { actorId: string; fields: string[]; decision: string }[] }>(
      '{ auditLog(patientId: "p-bergeron", actorId: "p-bergeron", first: 5) { actorId fields decision } }',
      undefined,
      { as: 'privacy.fortin' },
    );
    expect(log.data?.auditLog).toContainEqual({ actorId: 'p-bergeron', fields: ['Query.exportMyData'], decision: 'ALLOW' });
  });

  it('stays valid with cancelled appointments, vitals without a LOINC code and new bookings', async () => {
    // Tomorrow at 08:00 with dr.nguyen, then p-caron's walk-in cancelled; a nurse with duty records a pain score.
    const tomorrow = addDays(clinicDay(new Date()), 1);
    const booked = await system.query<{ bookAppointment: { id: string } }>(
      'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { patientId: 'p-caron', practitionerId: 'e-nguyen', startsAt: clinicInstant(tomorrow, '08:00'), reason: 'Dressing change' } },
      { as: 'reception.roy' },
    );
    expect(booked.errors).toBeUndefined();
    expect((await system.query('mutation { cancelAppointment(id: "a-1") { status } }', undefined, { as: 'reception.roy' })).errors).toBeUndefined();
    expect((await system.query('mutation { recordVital(patientId: "p-caron", kind: "PAIN_SCORE", value: "3/10") { kind } }', undefined, { as: 'nurse.gagnon' })).errors).toBeUndefined();

    const bundle = await exportAs({ as: 'patient.caron' });
    expectValidFhirR4(bundle);
    const appointments = resourcesOf(bundle).filter((r) => r.resourceType === 'Appointment') as Appointment[];
    expect(appointments.map((a) => [a.id, a.status]).sort()).toEqual([['a-1', 'cancelled'], [booked.data?.bookAppointment.id, 'booked']].sort());
  });

  it('is checked by validators that do refuse what FHIR R4 forbids', async () => {
    const bundle = await exportAs({ as: 'patient.lefebvre' });
    const broken = structuredClone(bundle);
    const resources = resourcesOf(broken);
    Object.assign(resources.find((r) => r.resourceType === 'Patient') as Patient, { gender: 'woman' });
    delete (resources.find((r) => r.resourceType === 'Appointment') as Appointment).end;
    delete (resources.find((r) => r.resourceType === 'MedicationStatement') as { subject?: unknown }).subject;
    const problems = validateFhirR4(broken).errors;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^json schema: Patient\/gender must be equal to one of the allowed values/),
        expect.stringMatching(/^json schema: MedicationStatement must have required property 'subject'/),
        expect.stringMatching(/^structure: Missing required property at .*\.subject/),
      ]),
    );
    // Medplum checks the invariants (FHIRPath constraints) of a resource that is otherwise well formed.
    const noEnd = structuredClone(bundle);
    delete (resourcesOf(noEnd).find((r) => r.resourceType === 'Appointment') as Appointment).end;
    expect(validateFhirR4(noEnd).errors).toEqual([expect.stringMatching(/^structure: Constraint app-2 not met/)]);
    const cancelledWithoutStart = structuredClone(bundle);
    const appointment = resourcesOf(cancelledWithoutStart).find((r) => r.resourceType === 'Appointment') as Appointment;
    delete appointment.start;
    delete appointment.end;
    expect(validateFhirR4(cancelledWithoutStart).errors).toEqual([expect.stringMatching(/^structure: Constraint app-3 not met/)]);
  });
});
