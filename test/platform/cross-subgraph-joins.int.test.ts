import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem } from '../support/clinic-system.js';
import { BILLING_AGENT, HR_WITH_MFA, RECEPTIONIST, patientThemself } from '../support/callers.js';
import { addDays, clinicToday } from '../support/clinic-time.js';
import { queryOk } from '../support/query-ok.js';

describe.each(testBackends())('joins across the three subgraphs on %s', (backend) => {
  let system: ClinicSystem;

  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Runs a query as `caller`, who may read all of it, and returns its data (no error allowed). */
  function ok<T>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<T> {
    return queryOk<T>(system, query, caller, variables);
  }

  it('resolves Appointment.practitioner (patient → employee) with the practitioner record', async () => {
    const data = await ok<{ appointments: { id: string; practitioner: Record<string, unknown> }[] }>(
      RECEPTIONIST,
      `query($day: String) { appointments(day: $day) { id practitioner { id firstName lastName role jobTitle workEmail } } }`,
      { day: addDays(clinicToday(), 14) },
    );
    expect(data.appointments).toEqual([
      {
        id: 'a-4',
        practitioner: { id: 'e-pelletier', firstName: 'Hugo', lastName: 'Pelletier', role: 'CONSULTANT', jobTitle: 'Dermatologist on loan from the CISSS', workEmail: 'h.pelletier@cisss-demo.example' },
      },
    ]);
  });

  it('resolves ClinicalNote.author (patient → employee) for each note', async () => {
    // No staff member may read the clinical notes of every patient (p-dion has no open duty toward
    // anyone), so each patient of the list reads their own, with MFA.
    const list = await ok<{ patients: { nodes: { id: string }[] } }>(RECEPTIONIST, `{ patients { nodes { id } } }`);
    type WithNotes = { id: string; clinicalNotes: { id: string; author: { id: string; lastName: string; role: string } }[] };
    const nodes: WithNotes[] = [];
    for (const { id } of list.patients.nodes) {
      const own = await ok<{ patient: WithNotes }>(patientThemself(id), `query($id: ID!) { patient(id: $id) { id clinicalNotes { id author { id lastName role } } } }`, { id });
      nodes.push(own.patient);
    }
    const data = { patients: { nodes } };
    expect(data.patients.nodes.flatMap((p) => p.clinicalNotes.map((n) => [p.id, n.id, n.author]))).toEqual([
      ['p-caron', 'n-car-1', { id: 'e-bouchard', lastName: 'Bouchard', role: 'NURSE' }],
      ['p-dion', 'n-dio-1', { id: 'e-tremblay', lastName: 'Tremblay', role: 'PHYSICIAN' }],
      ['p-lefebvre', 'n-lef-1', { id: 'e-tremblay', lastName: 'Tremblay', role: 'PHYSICIAN' }],
      ['p-ouellet', 'n-oue-1', { id: 'e-tremblay', lastName: 'Tremblay', role: 'PHYSICIAN' }],
    ]);
  });

  it('resolves CareAssignment.employee (patient → employee), former employees included', async () => {
    // The receptionist reads the care team and the directory entry of its members; termination dates
    // (STAFF_EMPLOYMENT) of a former employee are HR's only, with two-factor authentication (seed 002).
    type Member = { kind: string; until: string | null; employee: { id: string; firstName: string; lastName: string; terminationDate?: string | null } };
    const data = await ok<{ patient: { careTeam: Member[] } }>(
      RECEPTIONIST,
      `{ patient(id: "p-bergeron") { careTeam { kind until employee { id firstName lastName } } } }`,
    );
    for (const member of data.patient.careTeam) {
      const employment = await ok<{ employee: { terminationDate: string | null } }>(HR_WITH_MFA, `query($id: ID!) { employee(id: $id) { terminationDate } }`, { id: member.employee.id });
      member.employee.terminationDate = employment.employee.terminationDate;
    }
    expect(data.patient.careTeam.map((c) => [c.kind, c.until, c.employee.id, c.employee.firstName, c.employee.lastName, c.employee.terminationDate === null])).toEqual([
      ['ASSIGNED_NURSE', null, 'e-leblanc', 'Denis', 'Leblanc', false],
      ['PHYSICIAN_OF_RECORD', null, 'e-nguyen', 'Minh', 'Nguyen', true],
    ]);
  });

  it('resolves Invoice.patient (billing → patient) and goes on to the employee subgraph from there', async () => {
    // Billing data and the care team together: only the patient reads both, in their own record.
    const data = await ok<{ invoice: { id: string; patient: { id: string; firstName: string; lastName: string; careTeam: { kind: string; until: string | null; employee: { lastName: string } }[] } } }>(
      patientThemself('p-ouellet'),
      `{ invoice(id: "i-4") { id patient { id firstName lastName careTeam { kind until employee { lastName } } } } }`,
    );
    expect(data.invoice.patient).toMatchObject({ id: 'p-ouellet', firstName: 'Luc', lastName: 'Ouellet' });
    expect(data.invoice.patient.careTeam.map((c) => [c.kind, c.employee.lastName, c.until === null])).toEqual([
      ['PHYSICIAN_OF_RECORD', 'Tremblay', true],
      ['ASSIGNED_NURSE', 'Gagnon', false],
    ]);
  });

  it('resolves Patient.invoices and Patient.balance (patient → billing), and back to the patient from each invoice', async () => {
    const data = await ok<{ patient: { lastName: string; balance: number; invoices: { id: string; amount: number; payments: { method: string }[]; patient: { id: string; healthInsuranceNumber: string } }[] } }>(
      BILLING_AGENT,
      `{ patient(id: "p-caron") { lastName balance invoices { id amount payments { method } patient { id healthInsuranceNumber } } } }`,
    );
    expect(data.patient).toEqual({
      lastName: 'Caron',
      balance: 45,
      invoices: [
        { id: 'i-2', amount: 45, payments: [], patient: { id: 'p-caron', healthInsuranceNumber: 'CARJ62072118' } },
        { id: 'i-3', amount: 25, payments: [{ method: 'CARD' }], patient: { id: 'p-caron', healthInsuranceNumber: 'CARJ62072118' } },
      ],
    });
  });

  it('joins all three subgraphs in one schedule: appointment, its patient with billing, its practitioner', async () => {
    // The schedule with billing data: the patient of today's only appointment (a-1), reading their own.
    const data = await ok<{ appointments: unknown[] }>(
      patientThemself('p-caron'),
      `{ appointments { id patient { firstName lastName balance invoices { id status } } practitioner { firstName lastName role } } }`,
    );
    expect(data.appointments).toEqual([
      {
        id: 'a-1',
        patient: { firstName: 'Jean', lastName: 'Caron', balance: 45, invoices: [{ id: 'i-2', status: 'SUBMITTED' }, { id: 'i-3', status: 'PAID' }] },
        practitioner: { firstName: 'Minh', lastName: 'Nguyen', role: 'PHYSICIAN' },
      },
    ]);
  });

  it('goes billing → patient → employee through an invoice, its patient, their appointments and practitioner', async () => {
    const data = await ok<{ invoice: unknown }>(
      patientThemself('p-lefebvre'),
      `{ invoice(id: "i-1") { id amount patient { lastName appointments { id reason practitioner { lastName jobTitle } } } } }`,
    );
    expect(data.invoice).toEqual({
      id: 'i-1',
      amount: 78.5,
      patient: { lastName: 'Lefebvre', appointments: [{ id: 'a-2', reason: 'Follow-up', practitioner: { lastName: 'Tremblay', jobTitle: 'Family physician' } }] },
    });
  });

  it('answers a query spanning the three subgraphs with a request to each of them', async () => {
    const before = system.sqlStatements();
    await ok(patientThemself('p-lefebvre'), `{ patient(id: "p-lefebvre") { lastName clinicalNotes { author { lastName } } invoices { id } } }`);
    const after = system.sqlStatements();
    expect(after.patient).toBeGreaterThan(before.patient);
    expect(after.employee).toBeGreaterThan(before.employee);
    expect(after.billing).toBeGreaterThan(before.billing);
  });
});
