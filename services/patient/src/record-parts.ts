import type { SqlEntityManager } from '@clinic/service-kit';
import { Allergy, Appointment, ClinicalNote, Diagnosis, LegalHold, MedicalDocument, Medication, Patient, Vital } from './entities.js';
import { APPOINTMENT_STATUS } from './resolvers.js';
import { latest } from './retention-rules.js';

/**
 * Every part of a patient's record, as retention sees it: which kind, which row, when it was
 * written (null for parts the record keeps no date of: allergies, medications, undated diagnoses).
 * Issue 14: retention "covers every part of the record (diagnoses, vitals, medications, allergies,
 * appointments, notes, documents), not only documents and notes".
 */
export const PART_KIND = {
  document: 'DOCUMENT',
  clinicalNote: 'CLINICAL_NOTE',
  diagnosis: 'DIAGNOSIS',
  vital: 'VITAL',
  medication: 'MEDICATION',
  allergy: 'ALLERGY',
  appointment: 'APPOINTMENT',
} as const;
export type PartKind = (typeof PART_KIND)[keyof typeof PART_KIND];

export interface RecordPart {
  kind: PartKind;
  id: string;
  patientId: string;
  writtenAt: Date | null;
  /** Documents only: its kind, for the protected reports. */
  documentKind?: string;
}

/** Parts of the given patients (all patients when `patientIds` is undefined): one statement per kind. */
export async function recordParts(em: SqlEntityManager, patientIds?: readonly string[]): Promise<RecordPart[]> {
  const of = patientIds ? { patientId: { $in: [...patientIds] } } : {};
  const [documents, notes, diagnoses, vitals, medications, allergies, appointments] = await Promise.all([
    em.find(MedicalDocument, of, { fields: ['id', 'patientId', 'kind', 'createdAt'], orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(ClinicalNote, of, { fields: ['id', 'patientId', 'writtenAt'], orderBy: { writtenAt: 'asc', id: 'asc' } }),
    em.find(Diagnosis, of, { fields: ['id', 'patientId', 'recordedAt'], orderBy: { id: 'asc' } }),
    em.find(Vital, of, { fields: ['id', 'patientId', 'recordedAt'], orderBy: { id: 'asc' } }),
    em.find(Medication, of, { fields: ['id', 'patientId'], orderBy: { id: 'asc' } }),
    em.find(Allergy, of, { fields: ['id', 'patientId'], orderBy: { id: 'asc' } }),
    em.find(Appointment, of, { fields: ['id', 'patientId', 'startsAt'], orderBy: { startsAt: 'asc', id: 'asc' } }),
  ]);
  return [
    ...documents.map((d) => ({ kind: PART_KIND.document, id: d.id, patientId: d.patientId, writtenAt: d.createdAt, documentKind: d.kind })),
    ...notes.map((n) => ({ kind: PART_KIND.clinicalNote, id: n.id, patientId: n.patientId, writtenAt: n.writtenAt })),
    ...diagnoses.map((d) => ({ kind: PART_KIND.diagnosis, id: String(d.id), patientId: d.patientId, writtenAt: d.recordedAt ?? null })),
    ...vitals.map((v) => ({ kind: PART_KIND.vital, id: String(v.id), patientId: v.patientId, writtenAt: v.recordedAt })),
    ...medications.map((m) => ({ kind: PART_KIND.medication, id: String(m.id), patientId: m.patientId, writtenAt: null })),
    ...allergies.map((a) => ({ kind: PART_KIND.allergy, id: String(a.id), patientId: a.patientId, writtenAt: null })),
    ...appointments.map((a) => ({ kind: PART_KIND.appointment, id: a.id, patientId: a.patientId, writtenAt: a.startsAt })),
  ];
}

/** Deletes the given parts, one statement per kind; answers how many of each kind went. */
export async function deleteParts(em: SqlEntityManager, parts: readonly RecordPart[], protectedKinds: readonly string[]): Promise<Record<PartKind, number>> {
  const idsOf = (kind: PartKind) => parts.filter((p) => p.kind === kind).map((p) => p.id);
  const numeric = (kind: PartKind) => idsOf(kind).map(Number);
  const run = async (ids: unknown[], remove: () => Promise<number>) => (ids.length ? remove() : 0);
  const documentIds = idsOf(PART_KIND.document);
  const noteIds = idsOf(PART_KIND.clinicalNote);
  const appointmentIds = idsOf(PART_KIND.appointment);
  return {
    // The protected kinds are checked again in the statement itself.
    DOCUMENT: await run(documentIds, () => em.nativeDelete(MedicalDocument, { id: { $in: documentIds }, kind: { $nin: [...protectedKinds] } })),
    CLINICAL_NOTE: await run(noteIds, () => em.nativeDelete(ClinicalNote, { id: { $in: noteIds } })),
    DIAGNOSIS: await run(numeric(PART_KIND.diagnosis), () => em.nativeDelete(Diagnosis, { id: { $in: numeric(PART_KIND.diagnosis) } })),
    VITAL: await run(numeric(PART_KIND.vital), () => em.nativeDelete(Vital, { id: { $in: numeric(PART_KIND.vital) } })),
    MEDICATION: await run(numeric(PART_KIND.medication), () => em.nativeDelete(Medication, { id: { $in: numeric(PART_KIND.medication) } })),
    ALLERGY: await run(numeric(PART_KIND.allergy), () => em.nativeDelete(Allergy, { id: { $in: numeric(PART_KIND.allergy) } })),
    APPOINTMENT: await run(appointmentIds, () => em.nativeDelete(Appointment, { id: { $in: appointmentIds } })),
  };
}

export interface RecordState {
  lastEntryAt: Date | null;
  held: boolean;
}

/**
 * Each record's last entry and legal hold at `at`: the stored last entry (kept current by every
 * write), the last visit, and the last booked appointment that has started (an attended one).
 */
export async function recordStates(em: SqlEntityManager, at: Date, patientIds?: readonly string[]): Promise<Map<string, RecordState>> {
  const of = patientIds ? { patientId: { $in: [...patientIds] } } : {};
  const [patients, attended, holds] = await Promise.all([
    em.find(Patient, patientIds ? { id: { $in: [...patientIds] } } : {}, { fields: ['id', 'lastEntryAt', 'lastVisitAt'] }),
    em.find(Appointment, { ...of, status: APPOINTMENT_STATUS.booked, startsAt: { $lte: at } }, { fields: ['id', 'patientId', 'startsAt'] }),
    em.find(LegalHold, { ...of, liftedAt: null }, { fields: ['id', 'patientId'] }),
  ]);
  const held = new Set(holds.map((h) => h.patientId));
  const states = new Map<string, RecordState>(patients.map((p) => [p.id, { lastEntryAt: latest(p.lastEntryAt, p.lastVisitAt), held: held.has(p.id) }]));
  for (const a of attended) {
    const state = states.get(a.patientId);
    if (state) state.lastEntryAt = latest(state.lastEntryAt, a.startsAt);
  }
  return states;
}

/** Keeps the record's last entry current: every write to a part of the record calls this. */
export async function touchRecord(em: SqlEntityManager, patientId: string, at: Date): Promise<void> {
  // Only forward: a write dated earlier than the last entry does not make the record look older.
  await em.nativeUpdate(Patient, { id: patientId, $or: [{ lastEntryAt: null }, { lastEntryAt: { $lt: at } }] }, { lastEntryAt: at });
}
