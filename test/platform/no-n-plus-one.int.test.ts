import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphName } from '@clinic/schema';
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
} from '../../services/patient/src/entities.js';
import { Invoice, Payment } from '../../services/billing/src/entities.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem } from '../support/clinic-system.js';
import { BILLING_AGENT, PRIVACY_OFFICER, physicianWithMfa } from '../support/callers.js';
import { addDays, clinicInstant, clinicToday } from '../support/clinic-time.js';

const EXTRA_PATIENTS = 60;
const PHYSICIANS = ['e-tremblay', 'e-nguyen'];
/**
 * The physician of record of every extra patient: an open care assignment gives her a duty toward
 * each of them, so she reads their clinical data, notes (with MFA), schedule and care team.
 */
const PHYSICIAN_OF_RECORD = 'e-tremblay';
const PHYSICIAN: Caller = physicianWithMfa('dr.tremblay');
const NURSES = ['e-gagnon', 'e-bouchard', 'e-leblanc'];
const PRACTITIONERS = ['e-tremblay', 'e-nguyen', 'e-pelletier', 'e-bouchard'];

const pad = (i: number) => String(i).padStart(3, '0');
const extraId = (i: number) => `p-load-${pad(i)}`;

/**
 * Everything the gateway can join for a patient, in all three subgraphs, several levels deep. No
 * staff role reads clinical, privacy and billing data together (SPEC §5), so it is asked in three
 * parts, each by a reader allowed all of its part: the physician of record (clinical data, notes,
 * schedule, care team), the privacy officer (restrictions, consent), the billing agent (invoices, balance).
 */
const NESTED_PATIENTS_CLINICAL = `query NestedClinical($first: Int!) {
  patients(search: "Loadtest", first: $first) {
    totalCount
    nodes {
      id firstName lastName
      allergies
      medications { name dosage }
      diagnoses { code recordedAt }
      vitals { kind value recordedAt }
      documents { id title }
      clinicalNotes { id text author { id lastName role } }
      appointments { id startsAt status practitioner { id lastName } patient { id lastName } }
      careTeam { kind since employee { id lastName role } }
    }
  }
}`;

const NESTED_PATIENTS_PRIVACY = `query NestedPrivacy($first: Int!) {
  patients(search: "Loadtest", first: $first) {
    totalCount
    nodes { id accessRestrictions { id fields } communicationConsent { newsletter } }
  }
}`;

/** An invoice's patient is read back from the patient subgraph; their care team is not the billing agent's to read. */
const NESTED_PATIENTS_BILLING = `query NestedBilling($first: Int!) {
  patients(search: "Loadtest", first: $first) {
    totalCount
    nodes { id invoices { id amount status payments { method amount } patient { id lastName } } balance }
  }
}`;

/** A day's schedule, as the physician of record: practitioner, patient, allergies, care team. */
const NESTED_SCHEDULE = `query Schedule($day: String!) {
  appointments(day: $day) {
    id startsAt
    practitioner { id lastName jobTitle }
    patient { id lastName allergies careTeam { employee { lastName } } }
  }
}`;

/** The billing side of a day's schedule, as the billing agent, who may not read schedules: the invoices and balance of its patients. */
const SCHEDULE_BILLING = `query ScheduleBilling($first: Int!, $after: String) {
  patients(search: "Loadtest", first: $first, after: $after) {
    nodes { id invoices { id payments { amount } } balance }
    pageInfo { endCursor }
  }
}`;

interface NestedPatient {
  id: string;
  allergies: string[];
  medications: unknown[];
  diagnoses: unknown[];
  vitals: unknown[];
  documents: unknown[];
  clinicalNotes: { author: { lastName: string } }[];
  appointments: { practitioner: { lastName: string }; patient: { id: string } }[];
  careTeam: { employee: { lastName: string } }[];
  accessRestrictions: unknown[];
  invoices: { payments: unknown[]; patient: { id: string; careTeam: unknown[] } }[];
  balance: number;
}

type ClinicalPart = Omit<NestedPatient, 'accessRestrictions' | 'invoices' | 'balance'>;
type PrivacyPart = Pick<NestedPatient, 'id' | 'accessRestrictions'>;
type BillingPart = { id: string; invoices: { payments: unknown[]; patient: { id: string } }[]; balance: number };
interface PatientPage<T> {
  patients: { totalCount: number; nodes: T[]; pageInfo?: { endCursor: string | null } };
}

/**
 * One patient's three parts, put back together by patient id. The care team of an invoice's
 * patient is the one the physician read for the patient the billing subgraph names.
 */
function combined(clinical: ClinicalPart[], privacy: PrivacyPart[], billing: BillingPart[]): NestedPatient[] {
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const privacyOf = byId(privacy);
  const billingOf = byId(billing);
  const clinicalOf = byId(clinical);
  return clinical.map((c) => {
    const b = billingOf.get(c.id);
    return {
      ...c,
      accessRestrictions: privacyOf.get(c.id)?.accessRestrictions as unknown[],
      invoices: (b?.invoices ?? []).map((i) => ({ ...i, patient: { ...i.patient, careTeam: clinicalOf.get(i.patient.id)?.careTeam as unknown[] } })),
      balance: b?.balance as number,
    };
  });
}

describe.each(testBackends())('SQL statements per request do not grow with the rows returned, on %s', (backend) => {
  let system: ClinicSystem;
  const today = clinicToday();
  const smallDay = addDays(today, 100);
  const largeDay = addDays(today, 101);

  beforeAll(async () => {
    // Deliberately asks for every nested list of 50 patients at once: far above the default cost limit.
    // The employment check on every request, so that each request's statements are alike.
    system = await startClinicSystem({ backend, gateway: { limits: { maxCost: 1_000_000 }, employmentRecheckMs: 0 } });

    // Extra patients written straight into the subgraphs' databases, each with rows of every kind.
    const patients = system.subgraphs.patient.db.fork();
    for (let i = 0; i < EXTRA_PATIENTS; i += 1) {
      patients.create(Patient, { id: extraId(i), firstName: `Zed${pad(i)}`, lastName: `Loadtest${pad(i)}`, dateOfBirth: '1970-01-01', sex: 'X', appointmentReminders: i % 2 === 0, newsletter: false });
    }
    await patients.flush();
    const past = new Date(Date.now() - 30 * 86_400_000);
    for (let i = 0; i < EXTRA_PATIENTS; i += 1) {
      const patientId = extraId(i);
      patients.create(Allergy, { patientId, substance: 'Peanuts' });
      patients.create(Allergy, { patientId, substance: 'Pollen' });
      patients.create(Medication, { patientId, name: 'Ibuprofen', dosage: '200 mg' });
      patients.create(Diagnosis, { patientId, code: 'R51', description: 'Headache', recordedAt: past });
      patients.create(Vital, { patientId, kind: 'PULSE', value: '70', recordedAt: past });
      patients.create(Vital, { patientId, kind: 'TEMPERATURE', value: '37.0', recordedAt: new Date(past.getTime() + 60_000) });
      patients.create(MedicalDocument, { id: `d-load-${pad(i)}`, patientId, kind: 'VISIT_NOTE', title: 'Visit', createdAt: past });
      patients.create(ClinicalNote, { id: `n-load-${pad(i)}`, patientId, authorId: PHYSICIANS[i % PHYSICIANS.length] as string, text: 'Seen.', writtenAt: past });
      patients.create(CareAssignment, { patientId, employeeId: PHYSICIAN_OF_RECORD, kind: 'PHYSICIAN_OF_RECORD', since: past, until: null });
      patients.create(CareAssignment, { patientId, employeeId: NURSES[i % NURSES.length] as string, kind: 'ASSIGNED_NURSE', since: past, until: null });
      patients.create(AccessRestriction, { id: `r-load-${pad(i)}`, patientId, employeeId: 'e-roy', role: null, fields: ['Patient.phone'], reason: 'Test', startsAt: past, endsAt: null, lifted: false });
      // Five appointments on the small day, fifty on the large day, and one more each far ahead.
      const practitionerId = PRACTITIONERS[i % PRACTITIONERS.length] as string;
      if (i < 5) {
        patients.create(Appointment, { id: `a-load-s-${pad(i)}`, patientId, practitionerId, startsAt: new Date(clinicInstant(smallDay, `08:${pad(i).slice(1)}`)), reason: 'Load', status: 'BOOKED' });
      } else if (i < 55) {
        patients.create(Appointment, { id: `a-load-l-${pad(i)}`, patientId, practitionerId, startsAt: new Date(clinicInstant(largeDay, `08:${pad(i).slice(1)}`)), reason: 'Load', status: 'BOOKED' });
      }
      patients.create(Appointment, { id: `a-load-f-${pad(i)}`, patientId, practitionerId, startsAt: new Date(clinicInstant(addDays(today, 200 + i), '10:00')), reason: 'Later', status: 'BOOKED' });
    }
    await patients.flush();

    const billing = system.subgraphs.billing.db.fork();
    for (let i = 0; i < EXTRA_PATIENTS; i += 1) {
      billing.create(Invoice, { id: `i-load-${pad(i)}-a`, patientId: extraId(i), serviceDate: addDays(today, -5), ramqBillingCode: '15804', diagnosisCode: 'R51', description: null, amountCents: 5000, status: 'PAID' });
      billing.create(Invoice, { id: `i-load-${pad(i)}-b`, patientId: extraId(i), serviceDate: addDays(today, -1), ramqBillingCode: null, diagnosisCode: null, description: 'Note', amountCents: 1234, status: 'SUBMITTED' });
    }
    await billing.flush();
    for (let i = 0; i < EXTRA_PATIENTS; i += 1) {
      billing.create(Payment, { invoiceId: `i-load-${pad(i)}-a`, method: 'RAMQ', amountCents: 5000, paidAt: past, cardLast4: null });
    }
    await billing.flush();
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Runs one query as `caller` and returns its answer and the SQL statements each subgraph ran for it. */
  async function measured<T>(caller: Caller, query: string, variables: Record<string, unknown>): Promise<{ data: T; statements: Record<SubgraphName, number> }> {
    const before = system.sqlStatements();
    const res = await system.query<T>(query, variables, caller);
    const after = system.sqlStatements();
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const statements = { patient: after.patient - before.patient, employee: after.employee - before.employee, billing: after.billing - before.billing };
    return { data: res.data as T, statements };
  }

  function expectFullyLoaded(nodes: NestedPatient[]) {
    for (const p of nodes) {
      expect(p.allergies).toEqual(['Peanuts', 'Pollen']);
      expect(p.medications).toHaveLength(1);
      expect(p.diagnoses).toHaveLength(1);
      expect(p.vitals).toHaveLength(2);
      expect(p.documents).toHaveLength(1);
      expect(p.accessRestrictions).toHaveLength(1);
      expect(p.clinicalNotes.map((n) => n.author.lastName)).toEqual([expect.stringMatching(/^(Tremblay|Nguyen)$/)]);
      expect(p.careTeam.map((c) => typeof c.employee.lastName)).toEqual(['string', 'string']);
      expect(p.appointments.length).toBeGreaterThanOrEqual(1);
      expect(p.appointments.every((a) => typeof a.practitioner.lastName === 'string' && a.patient.id === p.id)).toBe(true);
      expect(p.invoices).toHaveLength(2);
      expect(p.invoices.map((i) => i.payments.length).sort()).toEqual([0, 1]);
      expect(p.invoices.every((i) => i.patient.id === p.id && i.patient.careTeam.length === 2)).toBe(true);
      expect(p.balance).toBe(12.34);
    }
  }

  /** SQL statements of several requests, added up per subgraph. */
  const total = (...runs: { statements: Record<SubgraphName, number> }[]) =>
    runs.reduce((sum, run) => ({ patient: sum.patient + run.statements.patient, employee: sum.employee + run.statements.employee, billing: sum.billing + run.statements.billing }), { patient: 0, employee: 0, billing: 0 });

  it('runs as many SQL statements per subgraph for 50 patients as for 5, with every nested list loaded', async () => {
    const parts = async (first: number) => ({
      clinical: await measured<PatientPage<ClinicalPart>>(PHYSICIAN, NESTED_PATIENTS_CLINICAL, { first }),
      privacy: await measured<PatientPage<PrivacyPart>>(PRIVACY_OFFICER, NESTED_PATIENTS_PRIVACY, { first }),
      billing: await measured<PatientPage<BillingPart>>(BILLING_AGENT, NESTED_PATIENTS_BILLING, { first }),
    });
    const five = await parts(5);
    const fifty = await parts(50);
    const nodes = (p: Awaited<ReturnType<typeof parts>>) => combined(p.clinical.data.patients.nodes, p.privacy.data.patients.nodes, p.billing.data.patients.nodes);

    for (const p of [five, fifty]) {
      expect([p.clinical, p.privacy, p.billing].map((part) => part.data.patients.totalCount)).toEqual([EXTRA_PATIENTS, EXTRA_PATIENTS, EXTRA_PATIENTS]);
      expect(p.privacy.data.patients.nodes.map((n) => n.id)).toEqual(p.clinical.data.patients.nodes.map((n) => n.id));
      expect(p.billing.data.patients.nodes.map((n) => n.id)).toEqual(p.clinical.data.patients.nodes.map((n) => n.id));
    }
    expect(nodes(five).map((p) => p.id)).toEqual([0, 1, 2, 3, 4].map(extraId));
    expect(nodes(fifty).map((p) => p.id)).toEqual(Array.from({ length: 50 }, (_, i) => extraId(i)));
    expectFullyLoaded(nodes(five));
    expectFullyLoaded(nodes(fifty));

    const fiveTotal = total(five.clinical, five.privacy, five.billing);
    expect(fiveTotal.patient).toBeGreaterThan(0);
    expect(fiveTotal.employee).toBeGreaterThan(0);
    expect(fiveTotal.billing).toBeGreaterThan(0);
    expect(fifty.clinical.statements).toEqual(five.clinical.statements);
    expect(fifty.privacy.statements).toEqual(five.privacy.statements);
    expect(fifty.billing.statements).toEqual(five.billing.statements);
  });

  it("runs as many SQL statements per subgraph for a day of 50 appointments as for a day of 5", async () => {
    type Scheduled = { id: string; practitioner: { lastName: string }; patient: { id: string; allergies: string[]; balance?: number; invoices?: unknown[] } };
    type Billed = { id: string; invoices: unknown[]; balance: number };
    const small = await measured<{ appointments: Scheduled[] }>(PHYSICIAN, NESTED_SCHEDULE, { day: smallDay });
    const large = await measured<{ appointments: Scheduled[] }>(PHYSICIAN, NESTED_SCHEDULE, { day: largeDay });
    // The billing side, as the billing agent: the small day's patients are the first five extra
    // patients, the large day's the fifty after them.
    const smallBilling = await measured<PatientPage<Billed>>(BILLING_AGENT, SCHEDULE_BILLING, { first: 5 });
    const largeBilling = await measured<PatientPage<Billed>>(BILLING_AGENT, SCHEDULE_BILLING, { first: 50, after: smallBilling.data.patients.pageInfo?.endCursor });
    for (const [schedule, billing] of [[small, smallBilling], [large, largeBilling]] as const) {
      expect(billing.data.patients.nodes.map((p) => p.id).sort()).toEqual(schedule.data.appointments.map((a) => a.patient.id).sort());
      const billed = new Map(billing.data.patients.nodes.map((p) => [p.id, p]));
      for (const a of schedule.data.appointments) Object.assign(a.patient, { invoices: billed.get(a.patient.id)?.invoices, balance: billed.get(a.patient.id)?.balance });
    }

    expect(small.data.appointments).toHaveLength(5);
    expect(large.data.appointments).toHaveLength(50);
    for (const a of [...small.data.appointments, ...large.data.appointments]) {
      expect(typeof a.practitioner.lastName).toBe('string');
      expect(a.patient).toMatchObject({ allergies: ['Peanuts', 'Pollen'], balance: 12.34 });
      expect(a.patient.invoices).toHaveLength(2);
    }
    const smallTotal = total(small, smallBilling);
    expect(smallTotal.patient).toBeGreaterThan(0);
    expect(smallTotal.employee).toBeGreaterThan(0);
    expect(smallTotal.billing).toBeGreaterThan(0);
    expect(large.statements).toEqual(small.statements);
    expect(largeBilling.statements).toEqual(smallBilling.statements);
  });

  it('serves 20 patients when first is omitted, and the next page from there', async () => {
    const res = await system.query<{ patients: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      `{ patients(search: "loadtest") { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
      undefined,
      PHYSICIAN,
    );
    expect(res.data?.patients.totalCount).toBe(EXTRA_PATIENTS);
    expect(res.data?.patients.nodes.map((p) => p.id)).toEqual(Array.from({ length: 20 }, (_, i) => extraId(i)));
    expect(res.data?.patients.pageInfo.hasNextPage).toBe(true);
    const next = await system.query<{ patients: { nodes: { id: string }[] } }>(
      `query($after: String) { patients(search: "loadtest", first: 100, after: $after) { nodes { id } } }`,
      { after: res.data?.patients.pageInfo.endCursor },
      PHYSICIAN,
    );
    expect(next.data?.patients.nodes.map((p) => p.id)).toEqual(Array.from({ length: 40 }, (_, i) => extraId(i + 20)));
  });
});
