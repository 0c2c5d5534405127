import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Shape of `fixtures/demo-clinic.json`. Day offsets are relative to the moment of seeding. */
export type DayOffset = number;

export type Role =
  | 'PHYSICIAN'
  | 'NURSE'
  | 'CONSULTANT'
  | 'RECEPTIONIST'
  | 'BILLING_AGENT'
  | 'ACCOUNTANT'
  | 'HR'
  | 'MANAGER'
  | 'PRIVACY_OFFICER'
  | 'PATIENT';

export const ROLES: readonly Role[] = [
  'PHYSICIAN',
  'NURSE',
  'CONSULTANT',
  'RECEPTIONIST',
  'BILLING_AGENT',
  'ACCOUNTANT',
  'HR',
  'MANAGER',
  'PRIVACY_OFFICER',
  'PATIENT',
];

export interface DemoEmployee {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  role: Exclude<Role, 'PATIENT'>;
  jobTitle: string;
  workEmail: string | null;
  workPhone: string | null;
  homeAddress: string | null;
  personalPhone: string | null;
  dateOfBirth: string | null;
  socialInsuranceNumber: string | null;
  salary: number | null;
  bankAccount: string | null;
  hireDayOffset: DayOffset;
  terminationDayOffset: DayOffset | null;
}

export interface DemoPatient {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  healthInsuranceNumber: string | null;
  lastVisitDayOffset: DayOffset;
  allergies: string[];
  medications: { name: string; dosage: string | null }[];
  diagnoses: { code: string; description: string | null; recordedDayOffset: DayOffset }[];
  vitals: { kind: string; value: string; recordedDayOffset: DayOffset }[];
  clinicalNotes: { id: string; authorId: string; writtenDayOffset: DayOffset; text: string }[];
  documents: { id: string; kind: string; title: string | null; createdDayOffset: DayOffset }[];
  communicationConsent: { appointmentReminders: boolean; newsletter: boolean };
  /** A staff member who is also a patient: the employee this record belongs to (issue 15). */
  employeeId?: string;
  /** Flagged sensitive by the privacy officer (issue 15), with why. */
  sensitive?: { reason: string; markedBy: string; markedDayOffset: DayOffset };
}

export interface DemoCareAssignment {
  employeeId: string;
  patientId: string;
  kind: string;
  fromDayOffset: DayOffset;
  toDayOffset: DayOffset | null;
  /** Last renewal; absent: never renewed (the assignment lapses a lifetime after it began, see the patient subgraph's care-relationships.ts). */
  renewedDayOffset?: DayOffset;
}

export interface DemoReferral {
  consultantId: string;
  patientId: string;
  referredById: string;
  reason: string;
  fromDayOffset: DayOffset;
  toDayOffset: DayOffset | null;
}

export interface DemoAppointment {
  id: string;
  patientId: string;
  practitionerId: string;
  dayOffset: DayOffset;
  time: string;
  reason: string;
}

export interface DemoAccessRestriction {
  id: string;
  patientId: string;
  subject: { employeeId: string } | { role: Role };
  fields: string[];
  reason: string;
  fromDayOffset: DayOffset;
  toDayOffset: DayOffset | null;
}

export interface DemoInvoice {
  id: string;
  patientId: string;
  serviceDayOffset: DayOffset;
  ramqBillingCode: string | null;
  diagnosisCode: string | null;
  amount: number;
  status: string;
  description?: string;
  payments: { method: string; amount: number; paidDayOffset: DayOffset; cardLast4: string | null }[];
}

/**
 * What happened before the demo starts, seeded into the gateway's audit store (issue 15): reads
 * and refusals as audit events, and emergency accesses (`ref` names one for the reads made under it).
 */
export type DemoAuditEvent =
  | {
      kind: 'READ' | 'REFUSAL';
      dayOffset: DayOffset;
      /** Clinic wall-clock time, HH:mm. */
      time: string;
      actorId: string;
      role: Role;
      patientIds: string[];
      fields: string[];
      /** REFUSAL: why (NO_DUTY, ROLE, RESTRICTED…). */
      reason?: string;
      /** READ: made under the emergency access of this `ref`. */
      underEmergencyAccess?: string;
      /** What the event shows in the demo (not seeded). */
      note?: string;
    }
  | { kind: 'EMERGENCY_ACCESS'; ref: string; dayOffset: DayOffset; time: string; actorId: string; role: Role; patientIds: [string]; justification: string; note?: string };

export interface DemoClinic {
  clinic: { name: string; timezone: string };
  employees: DemoEmployee[];
  patients: DemoPatient[];
  careAssignments: DemoCareAssignment[];
  referrals: DemoReferral[];
  appointments: DemoAppointment[];
  accessRestrictions: DemoAccessRestriction[];
  invoices: DemoInvoice[];
  mailingList: { email: string; subscribedDayOffset: DayOffset }[];
  auditHistory: DemoAuditEvent[];
}

export const demoClinicPath = fileURLToPath(new URL('../fixtures/demo-clinic.json', import.meta.url));

let cached: DemoClinic | undefined;

/** The demo clinic data set, read once from the copy kept in this package. */
export function loadDemoClinic(): DemoClinic {
  cached ??= JSON.parse(readFileSync(demoClinicPath, 'utf8')) as DemoClinic;
  return cached;
}
