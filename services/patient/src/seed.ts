import type { SqlEntityManager } from '@clinic/service-kit';
import type { ClinicCalendar, DemoClinic } from '@clinic/schema';
import {
  AccessRestriction,
  Allergy,
  Appointment,
  CareAssignment,
  ClinicalNote,
  Diagnosis,
  MailingListSubscription,
  MedicalDocument,
  Medication,
  Patient,
  Referral,
  Vital,
} from './entities.js';
import { APPOINTMENT_STATUS } from './resolvers.js';

type DemoPatient = DemoClinic['patients'][number];

/** The demo record's last entry: its latest visit, diagnosis, vital, note or document. */
function lastEntryOf(p: DemoPatient, at: (offset: number) => Date): Date {
  const offsets = [
    p.lastVisitDayOffset,
    ...p.diagnoses.map((d) => d.recordedDayOffset),
    ...p.vitals.map((v) => v.recordedDayOffset),
    ...p.clinicalNotes.map((n) => n.writtenDayOffset),
    ...p.documents.map((d) => d.createdDayOffset),
  ];
  return at(Math.max(...offsets));
}

/** Writes the patient subgraph's part of the demo clinic. */
export async function seedPatients(em: SqlEntityManager, clinic: DemoClinic, calendar: ClinicCalendar): Promise<void> {
  const at = (offset: number) => calendar.instantAt(offset);
  const until = (offset: number | null) => (offset === null ? null : at(offset));
  // Patients first: the other rows reference them by foreign key.
  for (const p of clinic.patients) {
    em.create(Patient, {
      id: p.id,
      firstName: p.firstName,
      lastName: p.lastName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      phone: p.phone,
      email: p.email,
      address: p.address,
      healthInsuranceNumber: p.healthInsuranceNumber,
      lastVisitAt: at(p.lastVisitDayOffset),
      lastEntryAt: lastEntryOf(p, at),
      appointmentReminders: p.communicationConsent.appointmentReminders,
      newsletter: p.communicationConsent.newsletter,
      employeeId: p.employeeId ?? null,
      sensitive: p.sensitive !== undefined,
      sensitiveReason: p.sensitive?.reason ?? null,
      sensitiveMarkedBy: p.sensitive?.markedBy ?? null,
      sensitiveMarkedAt: p.sensitive ? at(p.sensitive.markedDayOffset) : null,
    });
  }
  await em.flush();
  for (const p of clinic.patients) {
    for (const substance of p.allergies) em.create(Allergy, { patientId: p.id, substance });
    for (const m of p.medications) em.create(Medication, { patientId: p.id, name: m.name, dosage: m.dosage });
    for (const d of p.diagnoses) em.create(Diagnosis, { patientId: p.id, code: d.code, description: d.description, recordedAt: at(d.recordedDayOffset) });
    for (const v of p.vitals) em.create(Vital, { patientId: p.id, kind: v.kind, value: v.value, recordedAt: at(v.recordedDayOffset) });
    for (const d of p.documents) em.create(MedicalDocument, { id: d.id, patientId: p.id, kind: d.kind, title: d.title, createdAt: at(d.createdDayOffset) });
    for (const n of p.clinicalNotes) em.create(ClinicalNote, { id: n.id, patientId: p.id, authorId: n.authorId, text: n.text, writtenAt: at(n.writtenDayOffset) });
  }
  for (const a of clinic.appointments) {
    em.create(Appointment, {
      id: a.id,
      patientId: a.patientId,
      practitionerId: a.practitionerId,
      startsAt: calendar.instantAtTime(a.dayOffset, a.time),
      reason: a.reason,
      status: APPOINTMENT_STATUS.booked,
    });
  }
  for (const c of clinic.careAssignments) {
    em.create(CareAssignment, { patientId: c.patientId, employeeId: c.employeeId, kind: c.kind, since: at(c.fromDayOffset), until: until(c.toDayOffset), renewedAt: c.renewedDayOffset === undefined ? null : at(c.renewedDayOffset) });
  }
  for (const r of clinic.referrals) {
    em.create(Referral, {
      patientId: r.patientId,
      consultantId: r.consultantId,
      referredById: r.referredById,
      reason: r.reason,
      since: at(r.fromDayOffset),
      until: until(r.toDayOffset),
    });
  }
  for (const r of clinic.accessRestrictions) {
    em.create(AccessRestriction, {
      id: r.id,
      patientId: r.patientId,
      employeeId: 'employeeId' in r.subject ? r.subject.employeeId : null,
      role: 'role' in r.subject ? r.subject.role : null,
      fields: r.fields,
      reason: r.reason,
      startsAt: at(r.fromDayOffset),
      endsAt: until(r.toDayOffset),
      lifted: false,
    });
  }
  // The mailing list: an address that is a patient's own e-mail is linked to that patient.
  clinic.mailingList.forEach((m, index) => {
    const patient = clinic.patients.find((p) => p.email?.toLowerCase() === m.email.toLowerCase());
    em.create(MailingListSubscription, { id: `ml-${index + 1}`, email: m.email, patientId: patient?.id ?? null, subscribedAt: at(m.subscribedDayOffset) });
  });
  await em.flush();
}
