import { groupedLoader, keyedLoader, type SqlEntityManager } from '@clinic/service-kit';
import { accessFactsLoaders } from './access-facts.js';
import { namesRestrictedLoaders } from './patient-listing.js';
import {
  AccessRestriction,
  Allergy,
  Appointment,
  CareAssignment,
  ClinicalNote,
  Diagnosis,
  MedicalDocument,
  Medication,
  Patient,
  RectificationRequest,
  Vital,
} from './entities.js';

/** Per-request batch loaders: one SQL statement per kind of row, whatever the number of patients. */
export function createPatientLoaders(em: SqlEntityManager) {
  const ofPatients = (keys: readonly string[]) => ({ patientId: { $in: [...keys] } });
  return {
    patientById: keyedLoader((ids) => em.find(Patient, { id: { $in: [...ids] } }), (p) => p.id),
    appointmentById: keyedLoader((ids) => em.find(Appointment, { id: { $in: [...ids] } }), (a) => a.id),
    allergies: groupedLoader((keys) => em.find(Allergy, ofPatients(keys), { orderBy: { id: 'asc' } }), (r) => r.patientId),
    medications: groupedLoader((keys) => em.find(Medication, ofPatients(keys), { orderBy: { id: 'asc' } }), (r) => r.patientId),
    diagnoses: groupedLoader((keys) => em.find(Diagnosis, ofPatients(keys), { orderBy: { recordedAt: 'desc', id: 'asc' } }), (r) => r.patientId),
    vitals: groupedLoader((keys) => em.find(Vital, ofPatients(keys), { orderBy: { recordedAt: 'desc', id: 'asc' } }), (r) => r.patientId),
    documents: groupedLoader((keys) => em.find(MedicalDocument, ofPatients(keys), { orderBy: { createdAt: 'desc', id: 'asc' } }), (r) => r.patientId),
    clinicalNotes: groupedLoader((keys) => em.find(ClinicalNote, ofPatients(keys), { orderBy: { writtenAt: 'desc', id: 'asc' } }), (r) => r.patientId),
    appointments: groupedLoader((keys) => em.find(Appointment, ofPatients(keys), { orderBy: { startsAt: 'asc', id: 'asc' } }), (r) => r.patientId),
    careTeam: groupedLoader((keys) => em.find(CareAssignment, ofPatients(keys), { orderBy: { since: 'asc', id: 'asc' } }), (r) => r.patientId),
    rectificationRequests: groupedLoader((keys) => em.find(RectificationRequest, ofPatients(keys), { orderBy: { requestedAt: 'desc', id: 'asc' } }), (r) => r.patientId),
    accessRestrictions: groupedLoader((keys) => em.find(AccessRestriction, ofPatients(keys), { orderBy: { startsAt: 'asc', id: 'asc' } }), (r) => r.patientId),
    /** The gateway-only policy facts of a reader at an instant (Patient._accessFacts). */
    accessFacts: accessFactsLoaders(em),
    /** The patients whose names are restricted for a listing's reader (patient-listing.ts), once per request. */
    namesRestricted: namesRestrictedLoaders(em),
  };
}

export type PatientLoaders = ReturnType<typeof createPatientLoaders>;
