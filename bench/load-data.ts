import { ClinicCalendar } from '@clinic/schema';
import type { SqlEntityManager } from '@clinic/service-kit';
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
  Vital,
} from '../services/patient/src/entities.js';
import { Invoice, Payment } from '../services/billing/src/entities.js';
import { LOAD_PATIENTS, PHYSICIAN_ID, RECEPTION_RESTRICTED, TODAY_APPOINTMENTS, WARD_NURSE_ID, WARD_SIZE, loadLastName, loadPatientId, pad } from './load-plan.js';

const OTHER_NURSE_ID = 'e-bouchard';
const PRACTITIONERS = ['e-tremblay', 'e-nguyen'];
const FIRST_NAMES = ['Émilie', 'Louis', 'Chloé', 'Gabriel', 'Léa', 'Samuel', 'Camille', 'Félix', 'Zoé', 'Thomas'];
const DAY = 86_400_000;

// The rows of the benchmark's load (see load-plan.ts), written through the subgraphs' EntityManagers
// as the integration suites write theirs.

/** Inserts the load patients' records through the patient subgraph's EntityManager. */
export async function addLoadPatients(em: SqlEntityManager, now: Date): Promise<void> {
  const calendar = new ClinicCalendar(now);
  for (let i = 0; i < LOAD_PATIENTS; i += 1) {
    em.create(Patient, {
      id: loadPatientId(i),
      firstName: FIRST_NAMES[i % FIRST_NAMES.length] as string,
      lastName: loadLastName(i),
      dateOfBirth: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
      sex: i % 2 === 0 ? 'F' : 'M',
      phone: `514-555-${String(1000 + i)}`,
      email: `patient${pad(i)}@example.org`,
      address: `${100 + i} rue Saint-Denis, Montréal QC`,
      healthInsuranceNumber: `BENC${String(70_000_000 + i * 1013).slice(0, 8)}`,
      lastVisitAt: new Date(now.getTime() - (i + 1) * DAY),
      appointmentReminders: i % 3 !== 0,
      newsletter: i % 4 === 0,
    });
  }
  await em.flush();

  // Today's booked slots of the two practitioners (the demo clinic has some): the load avoids them.
  const dayStart = calendar.instantAtTime(0, '00:00');
  const taken = new Set(
    (await em.find(Appointment, { status: 'BOOKED', startsAt: { $gte: dayStart, $lt: new Date(dayStart.getTime() + DAY) } })).map((a) => `${a.practitionerId}@${a.startsAt.getTime()}`),
  );
  const nextSlot = (() => {
    let slot = 0;
    return (practitionerId: string): Date => {
      for (;;) {
        const minutes = 8 * 60 + 15 * slot;
        slot += 1;
        const at = calendar.instantAtTime(0, `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
        if (!taken.has(`${practitionerId}@${at.getTime()}`)) return at;
      }
    };
  })();

  const past = (days: number) => new Date(now.getTime() - days * DAY);
  for (let i = 0; i < LOAD_PATIENTS; i += 1) {
    const patientId = loadPatientId(i);
    em.create(Allergy, { patientId, substance: 'Penicillin' });
    em.create(Allergy, { patientId, substance: i % 2 === 0 ? 'Peanuts' : 'Latex' });
    em.create(Medication, { patientId, name: 'Metformin', dosage: '500 mg twice a day' });
    em.create(Medication, { patientId, name: 'Ramipril', dosage: '5 mg daily' });
    em.create(Diagnosis, { patientId, code: 'E11.9', description: 'Type 2 diabetes', recordedAt: past(400) });
    em.create(Diagnosis, { patientId, code: 'I10', description: 'Hypertension', recordedAt: past(200) });
    em.create(Vital, { patientId, kind: 'BLOOD_PRESSURE', value: '128/82', recordedAt: past(30) });
    em.create(Vital, { patientId, kind: 'PULSE', value: '72', recordedAt: past(30) });
    em.create(Vital, { patientId, kind: 'TEMPERATURE', value: '36.8', recordedAt: past(2) });
    em.create(MedicalDocument, { id: `d-bench-${pad(i)}`, patientId, kind: 'LAB_RESULT', title: 'HbA1c', createdAt: past(60) });
    em.create(ClinicalNote, { id: `n-bench-${pad(i)}`, patientId, authorId: PHYSICIAN_ID, text: 'Stable; continue treatment.', writtenAt: past(30) });
    em.create(CareAssignment, { patientId, employeeId: PHYSICIAN_ID, kind: 'PHYSICIAN_OF_RECORD', since: past(500), until: null, renewedAt: past(10) });
    em.create(CareAssignment, { patientId, employeeId: i < WARD_SIZE ? WARD_NURSE_ID : OTHER_NURSE_ID, kind: 'ASSIGNED_NURSE', since: past(100), until: null });
    if (i < TODAY_APPOINTMENTS) {
      const practitionerId = PRACTITIONERS[i % PRACTITIONERS.length] as string;
      em.create(Appointment, { id: `a-bench-${pad(i)}`, patientId, practitionerId, startsAt: nextSlot(practitionerId), reason: 'Follow-up', status: 'BOOKED' });
    }
    // Ten annual reviews a day (8:00 to 17:00) from 30 days on.
    em.create(Appointment, { id: `a-bench-next-${pad(i)}`, patientId, practitionerId: PHYSICIAN_ID, startsAt: calendar.instantAtTime(30 + Math.floor(i / 10), `${String(8 + (i % 10)).padStart(2, '0')}:00`), reason: 'Annual review', status: 'BOOKED' });
    if (RECEPTION_RESTRICTED.includes(i)) {
      em.create(AccessRestriction, { id: `r-bench-${pad(i)}`, patientId, employeeId: null, role: 'RECEPTIONIST', fields: ['Patient.phone'], reason: 'Benchmark', startsAt: past(10), endsAt: null, lifted: false });
    }
  }
  await em.flush();
}

/** Inserts the load patients' invoices and payments through the billing subgraph's EntityManager. */
export async function addLoadInvoices(em: SqlEntityManager, now: Date): Promise<void> {
  const calendar = new ClinicCalendar(now);
  for (let i = 0; i < LOAD_PATIENTS; i += 1) {
    const patientId = loadPatientId(i);
    em.create(Invoice, { id: `i-bench-${pad(i)}-a`, patientId, serviceDate: calendar.dayAt(-30), ramqBillingCode: '15804', diagnosisCode: 'E11.9', description: null, amountCents: 5000, status: 'PAID' });
    em.create(Invoice, { id: `i-bench-${pad(i)}-b`, patientId, serviceDate: calendar.dayAt(-2), ramqBillingCode: null, diagnosisCode: null, description: 'Form completion', amountCents: 2500, status: 'SUBMITTED' });
  }
  await em.flush();
  for (let i = 0; i < LOAD_PATIENTS; i += 1) {
    em.create(Payment, { invoiceId: `i-bench-${pad(i)}-a`, method: 'RAMQ', amountCents: 5000, paidAt: new Date(now.getTime() - 20 * DAY), cardLast4: null });
  }
  await em.flush();
}
