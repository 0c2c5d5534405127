import { loadDemoClinic, type Role } from '@clinic/schema';
import { demoUser } from '@clinic/gateway';

/** Values of the demo clinic by category of information (long enough not to collide by chance). */
function valuesByCategory() {
  const clinic = loadDemoClinic();
  const byPatient = new Map(
    clinic.patients.map((p) => [
      p.id,
      {
        IDENTITY: [p.lastName, p.dateOfBirth],
        CONTACT: [p.phone, p.email, p.address],
        INSURANCE: [p.healthInsuranceNumber],
        CLINICAL: [...p.allergies, ...p.medications.map((m) => m.dosage), ...p.diagnoses.map((d) => d.description), ...p.vitals.map((v) => v.value), ...p.documents.map((d) => d.title)],
        NOTES: p.clinicalNotes.map((n) => n.text),
      } as Record<string, (string | null)[]>,
    ]),
  );
  const byEmployee = new Map(
    clinic.employees.map((e) => [
      e.id,
      { STAFF_PERSONAL: [e.homeAddress, e.personalPhone], STAFF_SIN: [e.socialInsuranceNumber], STAFF_PAY: [e.bankAccount] } as Record<string, (string | null)[]>,
    ]),
  );
  return { byPatient, byEmployee };
}

const PATIENT_CATEGORIES_READ: Record<Role, string[]> = {
  PHYSICIAN: ['IDENTITY', 'CONTACT', 'INSURANCE', 'CLINICAL', 'NOTES'],
  NURSE: ['IDENTITY', 'CONTACT', 'CLINICAL', 'NOTES'],
  CONSULTANT: ['IDENTITY', 'CLINICAL', 'NOTES'],
  RECEPTIONIST: ['IDENTITY', 'CONTACT', 'INSURANCE'],
  BILLING_AGENT: ['IDENTITY', 'INSURANCE'],
  ACCOUNTANT: [],
  HR: [],
  MANAGER: [],
  PRIVACY_OFFICER: ['IDENTITY'],
  PATIENT: [],
};
const STAFF_CATEGORIES_READ: Record<Role, string[]> = {
  PHYSICIAN: [], NURSE: [], CONSULTANT: [], RECEPTIONIST: [], BILLING_AGENT: [], PRIVACY_OFFICER: [], PATIENT: [], MANAGER: [],
  ACCOUNTANT: ['STAFF_SIN', 'STAFF_PAY'],
  HR: ['STAFF_PERSONAL', 'STAFF_SIN', 'STAFF_PAY'],
};

/**
 * Values of the demo clinic a user may never see, whatever the duty (SPEC §5, written out here
 * independently of the gateway's rules): other categories than their role's, other patients' records
 * for a patient, other employees' personal data, and what the demo restrictions hide from them.
 */
export function neverVisibleTo(username: string): string[] {
  const user = demoUser(username);
  if (!user) throw new Error(`no demo user ${username}`);
  const { byPatient, byEmployee } = valuesByCategory();
  const hidden: (string | null)[] = [];
  const visible = new Set<string>();
  for (const [patientId, categories] of byPatient) {
    for (const [category, values] of Object.entries(categories)) {
      const readable = user.role === 'PATIENT' ? patientId === user.id : PATIENT_CATEGORIES_READ[user.role].includes(category);
      for (const v of values) {
        if (!v) continue;
        if (readable) visible.add(v);
        else hidden.push(v);
      }
    }
  }
  for (const [employeeId, categories] of byEmployee) {
    for (const [category, values] of Object.entries(categories)) {
      const readable = employeeId === user.id || STAFF_CATEGORIES_READ[user.role].includes(category);
      for (const v of values) {
        if (!v) continue;
        if (readable) visible.add(v);
        else hidden.push(v);
      }
    }
  }
  // The demo restrictions: r-1 (nurse.gagnon, p-lefebvre) and r-2 (receptionists, p-caron).
  const clinic = loadDemoClinic();
  for (const r of clinic.accessRestrictions) {
    const names = 'employeeId' in r.subject ? r.subject.employeeId === user.id : r.subject.role === user.role;
    if (!names) continue;
    const p = clinic.patients.find((x) => x.id === r.patientId);
    if (!p) continue;
    const restricted: (string | null)[] = [];
    for (const field of r.fields) {
      if (field === 'Patient.address') restricted.push(p.address);
      if (field === 'Patient.email') restricted.push(p.email);
      if (field === 'Patient.diagnoses') restricted.push(...p.diagnoses.map((d) => d.description));
      if (field === 'Patient.medications') restricted.push(...p.medications.map((m) => m.dosage));
      if (field === 'Patient.clinicalNotes') restricted.push(...p.clinicalNotes.map((n) => n.text));
    }
    for (const v of restricted) {
      if (!v) continue;
      hidden.push(v);
      visible.delete(v);
    }
  }
  return [...new Set(hidden.filter((v): v is string => !!v && v.length >= 6 && !visible.has(v)))];
}

/** The never-visible values a raw response text contains (empty when none). */
export function leakedTo(username: string, responseText: string): string[] {
  return neverVisibleTo(username).filter((value) => responseText.includes(value));
}
