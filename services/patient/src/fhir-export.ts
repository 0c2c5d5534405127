import { randomUUID } from 'node:crypto';
import type {
  AllergyIntolerance,
  Appointment,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Condition,
  ContactPoint,
  DocumentReference,
  MedicationStatement,
  Observation,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes';

/**
 * Portability (SPEC §10): a patient's record as a FHIR R4 Bundle, in the structure the standard
 * defines, so that another clinic's system can read it. Pure: the resolver reads the rows, this
 * maps them. Clinical notes are not part of the export (they are the clinicians' own writing, read
 * in the record with two-factor authentication); everything else the patient gave or the clinic
 * recorded about them is.
 */
export interface RecordForExport {
  patient: {
    id: string;
    firstName: string;
    lastName: string;
    dateOfBirth?: string | null;
    sex?: string | null;
    phone?: string | null;
    email?: string | null;
    address?: string | null;
    healthInsuranceNumber?: string | null;
  };
  allergies: { id: number; substance: string }[];
  medications: { id: number; name: string; dosage?: string | null }[];
  diagnoses: { id: number; code: string; description?: string | null; recordedAt?: Date | null }[];
  vitals: { id: number; kind: string; value: string; recordedAt: Date }[];
  documents: { id: string; kind: string; title?: string | null; createdAt: Date }[];
  appointments: { id: string; startsAt: Date; reason?: string | null; status: string; practitionerId: string }[];
}

/** Québec health insurance numbers in the Canadian FHIR baseline (jurisdictional health number). */
export const QUEBEC_HEALTH_NUMBER_SYSTEM = 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-qc-patient-healthcare-id';
export const ICD_10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const LOINC_SYSTEM = 'http://loinc.org';
/** The clinic's own staff ids (practitioners are named by identifier: their records are not part of the export). */
export const CLINIC_EMPLOYEE_ID_SYSTEM = 'urn:x-clinic-federation:employee-id';
/**
 * The schedule stores start times only, while FHIR requires an end for a booked appointment
 * (invariant app-3): the export gives the clinic's standard slot, and says so in a comment.
 */
export const STANDARD_SLOT_MINUTES = 15;

const VITAL_CODES: Record<string, { code: string; display: string }> = {
  BLOOD_PRESSURE: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  HEART_RATE: { code: '8867-4', display: 'Heart rate' },
  BODY_TEMPERATURE: { code: '8310-5', display: 'Body temperature' },
  BODY_WEIGHT: { code: '29463-7', display: 'Body weight' },
  BODY_HEIGHT: { code: '8302-2', display: 'Body height' },
  RESPIRATORY_RATE: { code: '9279-1', display: 'Respiratory rate' },
  OXYGEN_SATURATION: { code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
};

const GENDER: Record<string, Patient['gender']> = { F: 'female', M: 'male', X: 'other', U: 'unknown' };
const APPOINTMENT_STATUS: Record<string, Appointment['status']> = { BOOKED: 'booked', CANCELLED: 'cancelled' };

/** FHIR ids are 1 to 64 letters, digits, "-" and "."; the record's ids are letters, digits, "-" and "_". */
export const fhirId = (id: string) => id.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);

/** A FHIR string is never empty: absent values are left out. */
const present = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim().length > 0;
const text = (value: string): CodeableConcept => ({ text: value });
const upperCodeAsText = (code: string) => code.toLowerCase().replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function patientResource(p: RecordForExport['patient']): Patient {
  const telecom: ContactPoint[] = [
    ...(present(p.phone) ? [{ system: 'phone' as const, value: p.phone }] : []),
    ...(present(p.email) ? [{ system: 'email' as const, value: p.email }] : []),
  ];
  const gender = p.sex ? GENDER[p.sex] : undefined;
  return {
    resourceType: 'Patient',
    id: fhirId(p.id),
    ...(present(p.healthInsuranceNumber)
      ? {
          identifier: [
            {
              use: 'official',
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'JHN', display: 'Jurisdictional health number' }] },
              system: QUEBEC_HEALTH_NUMBER_SYSTEM,
              value: p.healthInsuranceNumber,
            },
          ],
        }
      : {}),
    name: [{ use: 'official', family: p.lastName, given: [p.firstName] }],
    ...(telecom.length ? { telecom } : {}),
    ...(gender ? { gender } : {}),
    ...(present(p.dateOfBirth) ? { birthDate: p.dateOfBirth } : {}),
    ...(present(p.address) ? { address: [{ text: p.address }] } : {}),
  };
}

/** The record as one FHIR R4 Bundle of type `collection`; every resource refers to the patient's entry. */
export function recordAsFhirBundle(record: RecordForExport, options: { generatedAt: Date; newUuid?: () => string }): Bundle {
  const newUuid = options.newUuid ?? randomUUID;
  const entries: BundleEntry[] = [];
  const add = (resource: Resource): string => {
    const fullUrl = `urn:uuid:${newUuid()}`;
    entries.push({ fullUrl, resource });
    return fullUrl;
  };
  const subject: Reference<Patient> = { reference: add(patientResource(record.patient)), display: `${record.patient.firstName} ${record.patient.lastName}` };

  for (const a of record.allergies) {
    add({
      resourceType: 'AllergyIntolerance',
      id: `allergy-${a.id}`,
      // The record lists the patient's current allergies (invariant ait-1 asks for a clinical status).
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active', display: 'Active' }] },
      code: text(a.substance),
      patient: subject,
    } satisfies AllergyIntolerance);
  }
  for (const m of record.medications) {
    add({
      resourceType: 'MedicationStatement',
      id: `medication-${m.id}`,
      status: 'active',
      medicationCodeableConcept: text(m.name),
      subject,
      ...(present(m.dosage) ? { dosage: [{ text: m.dosage }] } : {}),
    } satisfies MedicationStatement);
  }
  for (const d of record.diagnoses) {
    add({
      resourceType: 'Condition',
      id: `diagnosis-${d.id}`,
      code: { coding: [{ system: ICD_10_SYSTEM, code: d.code }], ...(present(d.description) ? { text: d.description } : {}) },
      subject,
      ...(d.recordedAt ? { recordedDate: d.recordedAt.toISOString() } : {}),
    } satisfies Condition);
  }
  for (const v of record.vitals) {
    const loinc = VITAL_CODES[v.kind];
    add({
      resourceType: 'Observation',
      id: `vital-${v.id}`,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
      code: { ...(loinc ? { coding: [{ system: LOINC_SYSTEM, ...loinc }] } : {}), text: upperCodeAsText(v.kind) },
      subject,
      effectiveDateTime: v.recordedAt.toISOString(),
      valueString: v.value,
    } satisfies Observation);
  }
  for (const d of record.documents) {
    add({
      resourceType: 'DocumentReference',
      id: fhirId(d.id),
      status: 'current',
      type: text(upperCodeAsText(d.kind)),
      subject,
      date: d.createdAt.toISOString(),
      ...(present(d.title) ? { description: d.title } : {}),
      // The record keeps the document's description, not its content: the attachment names it.
      content: [{ attachment: { title: present(d.title) ? d.title : upperCodeAsText(d.kind), creation: d.createdAt.toISOString() } }],
    } satisfies DocumentReference);
  }
  for (const a of record.appointments) {
    const status = APPOINTMENT_STATUS[a.status] ?? 'booked';
    add({
      resourceType: 'Appointment',
      id: fhirId(a.id),
      status,
      ...(present(a.reason) ? { description: a.reason } : {}),
      start: a.startsAt.toISOString(),
      end: new Date(a.startsAt.getTime() + STANDARD_SLOT_MINUTES * 60_000).toISOString(),
      comment: `The end time is the clinic's standard ${STANDARD_SLOT_MINUTES}-minute slot: the schedule records start times only.`,
      participant: [
        { actor: subject, status: 'accepted' },
        { actor: { type: 'Practitioner', identifier: { system: CLINIC_EMPLOYEE_ID_SYSTEM, value: a.practitionerId } }, status: 'accepted' },
      ],
    } satisfies Appointment);
  }

  return { resourceType: 'Bundle', id: newUuid(), type: 'collection', timestamp: options.generatedAt.toISOString(), entry: entries };
}
