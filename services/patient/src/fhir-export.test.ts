import { describe, expect, it } from 'vitest';
import type { Appointment, DocumentReference, Observation, Patient } from '@medplum/fhirtypes';
import { fhirId, QUEBEC_HEALTH_NUMBER_SYSTEM, recordAsFhirBundle, STANDARD_SLOT_MINUTES, type RecordForExport } from './fhir-export.js';

const generatedAt = new Date('2026-01-15T15:00:00Z');
let counter = 0;
const newUuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

const record: RecordForExport = {
  patient: {
    id: 'p-test',
    firstName: 'Jeanne',
    lastName: 'Exemple',
    dateOfBirth: '1970-05-04',
    sex: 'F',
    phone: '514-555-0000',
    email: null,
    address: '1 rue Test, Montréal QC',
    healthInsuranceNumber: 'EXEJ70550412',
  },
  allergies: [{ id: 7, substance: 'Latex' }],
  medications: [{ id: 3, name: 'Ramipril', dosage: null }],
  diagnoses: [{ id: 4, code: 'I10', description: 'Essential hypertension', recordedAt: new Date('2025-01-01T15:00:00Z') }],
  vitals: [
    { id: 5, kind: 'BLOOD_PRESSURE', value: '132/84', recordedAt: new Date('2025-12-01T15:00:00Z') },
    { id: 6, kind: 'PAIN_SCORE', value: '3', recordedAt: new Date('2025-12-01T15:05:00Z') },
  ],
  documents: [{ id: 'd_odd_id', kind: 'ENDOSCOPY_REPORT', title: null, createdAt: new Date('2019-01-01T15:00:00Z') }],
  appointments: [
    { id: 'a-1', startsAt: new Date('2026-01-20T14:30:00Z'), reason: 'Follow-up', status: 'BOOKED', practitionerId: 'e-doc' },
    { id: 'a-2', startsAt: new Date('2026-01-10T14:30:00Z'), reason: null, status: 'CANCELLED', practitionerId: 'e-doc' },
  ],
};

describe('the FHIR R4 export of a patient record', () => {
  const bundle = recordAsFhirBundle(record, { generatedAt, newUuid });
  const resources = (bundle.entry ?? []).map((e) => e.resource);
  const ofType = <T>(type: string) => resources.filter((r) => r?.resourceType === type) as T[];
  const patientUrl = bundle.entry?.[0]?.fullUrl;

  it('is a collection bundle with one entry per row, the patient first, each with a unique urn:uuid', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2026-01-15T15:00:00.000Z' });
    expect(resources.map((r) => r?.resourceType)).toEqual([
      'Patient', 'AllergyIntolerance', 'MedicationStatement', 'Condition', 'Observation', 'Observation', 'DocumentReference', 'Appointment', 'Appointment',
    ]);
    const urls = (bundle.entry ?? []).map((e) => e.fullUrl);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.every((u) => /^urn:uuid:[0-9a-f-]{36}$/.test(u ?? ''))).toBe(true);
  });

  it('maps identity, contact and the Québec health insurance number', () => {
    const [patient] = ofType<Patient>('Patient');
    expect(patient).toEqual({
      resourceType: 'Patient',
      id: 'p-test',
      identifier: [expect.objectContaining({ system: QUEBEC_HEALTH_NUMBER_SYSTEM, value: 'EXEJ70550412' })],
      name: [{ use: 'official', family: 'Exemple', given: ['Jeanne'] }],
      telecom: [{ system: 'phone', value: '514-555-0000' }],
      gender: 'female',
      birthDate: '1970-05-04',
      address: [{ text: '1 rue Test, Montréal QC' }],
    });
  });

  it('makes every other resource refer to the patient entry', () => {
    for (const resource of resources.slice(1)) {
      const json = JSON.stringify(resource);
      expect(json, resource?.resourceType).toContain(`"reference":"${patientUrl}"`);
    }
  });

  it('leaves absent values out instead of writing empty strings', () => {
    expect(JSON.stringify(bundle)).not.toMatch(/:""|:null/);
  });

  it('codes known vital signs in LOINC and keeps the others as text', () => {
    const [pressure, pain] = ofType<Observation>('Observation');
    expect(pressure?.code).toEqual({ coding: [{ system: 'http://loinc.org', code: '85354-9', display: expect.any(String) }], text: 'Blood pressure' });
    expect(pain?.code).toEqual({ text: 'Pain score' });
    expect(pressure).toMatchObject({ status: 'final', valueString: '132/84', effectiveDateTime: '2025-12-01T15:00:00.000Z' });
  });

  it('describes documents without content and gives FHIR ids to record ids FHIR would refuse', () => {
    const [document] = ofType<DocumentReference>('DocumentReference');
    expect(document).toMatchObject({ id: 'd-odd-id', status: 'current', type: { text: 'Endoscopy report' }, content: [{ attachment: { title: 'Endoscopy report' } }] });
    expect(fhirId('a_b.c-d')).toBe('a-b.c-d');
  });

  it('gives booked appointments the standard slot as their end, and keeps cancellations', () => {
    const [booked, cancelled] = ofType<Appointment>('Appointment');
    expect(booked).toMatchObject({ status: 'booked', start: '2026-01-20T14:30:00.000Z', description: 'Follow-up' });
    expect(new Date(booked?.end ?? 0).getTime() - new Date(booked?.start ?? 0).getTime()).toBe(STANDARD_SLOT_MINUTES * 60_000);
    expect(booked?.participant).toEqual([
      { actor: expect.objectContaining({ reference: patientUrl }), status: 'accepted' },
      { actor: { type: 'Practitioner', identifier: { system: expect.any(String), value: 'e-doc' } }, status: 'accepted' },
    ]);
    expect(cancelled?.status).toBe('cancelled');
  });
});
