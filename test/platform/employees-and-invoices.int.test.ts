import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { BILLING_AGENT, HR_WITH_MFA } from '../support/callers.js';
import { addDays, clinicDay, inClinic, seededAt } from '../support/clinic-time.js';

const EMPLOYEE = `query Employee($id: ID!) {
  employee(id: $id) {
    id firstName lastName jobTitle role workEmail workPhone homeAddress personalPhone
    dateOfBirth hireDate terminationDate socialInsuranceNumber salary bankAccount
  }
}`;

const EMPLOYEE_PAGE = `query Employees($first: Int, $after: String) {
  employees(first: $first, after: $after) {
    totalCount
    edges { cursor node { id lastName } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const INVOICE = `query Invoice($id: ID!) {
  invoice(id: $id) {
    id serviceDate ramqBillingCode diagnosisCode description amount status
    payments { method amount paidAt cardLast4 }
    patient { id firstName lastName }
  }
}`;

interface EmployeePage {
  totalCount: number;
  edges: { cursor: string; node: { id: string; lastName: string } }[];
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

interface Invoice {
  id: string;
  serviceDate: string;
  ramqBillingCode: string | null;
  diagnosisCode: string | null;
  description: string | null;
  amount: number;
  status: string;
  payments: { method: string; amount: number; paidAt: string; cardLast4: string | null }[];
  patient: { id: string; firstName: string; lastName: string };
}

describe.each(testBackends())('employees and invoices through the gateway on %s', (backend) => {
  let system: ClinicSystem;
  const anchor = new Date();
  const seedDay = clinicDay(anchor);

  beforeAll(async () => {
    system = await startClinicSystem({ backend, now: anchor });
  });
  afterAll(async () => {
    await system?.stop();
  });

  // Every field of an employee, the social insurance number and pay included: HR, with MFA.
  async function employee(id: string) {
    const res = await system.query<{ employee: Record<string, unknown> }>(EMPLOYEE, { id }, HR_WITH_MFA);
    expect(res.errors).toBeUndefined();
    return res.data?.employee;
  }

  async function employees(variables: { first?: number; after?: string | null }): Promise<EmployeePage> {
    const res = await system.query<{ employees: EmployeePage }>(EMPLOYEE_PAGE, variables, HR_WITH_MFA);
    expect(res.errors).toBeUndefined();
    return res.data?.employees as EmployeePage;
  }

  // Every field of an invoice, its diagnosis code and its patient's name included: the billing agent.
  async function invoice(id: string): Promise<Invoice> {
    const res = await system.query<{ invoice: Invoice }>(INVOICE, { id }, BILLING_AGENT);
    expect(res.errors).toBeUndefined();
    return res.data?.invoice as Invoice;
  }

  it('returns every field of an employee, hire date counted back from the day of seeding', async () => {
    expect(await employee('e-tremblay')).toEqual({
      id: 'e-tremblay',
      firstName: 'Julie',
      lastName: 'Tremblay',
      jobTitle: 'Family physician',
      role: 'PHYSICIAN',
      workEmail: 'j.tremblay@clinique-demo.example',
      workPhone: '514-555-0101',
      homeAddress: '12 rue des Érables, Laval QC H7A 1A1',
      personalPhone: '514-555-9101',
      dateOfBirth: '1978-04-12',
      hireDate: addDays(seedDay, -3650),
      terminationDate: null,
      socialInsuranceNumber: '046 454 286',
      salary: 285000,
      bankAccount: '815-30001-1234567',
    });
  });

  it('returns a former employee with a termination date and the fields they lack as null', async () => {
    expect(await employee('e-leblanc')).toMatchObject({
      firstName: 'Denis',
      lastName: 'Leblanc',
      role: 'NURSE',
      jobTitle: 'Clinical nurse (left the clinic)',
      workPhone: null,
      bankAccount: null,
      hireDate: addDays(seedDay, -3000),
      terminationDate: addDays(seedDay, -400),
    });
  });

  it('keeps a salary of zero as 0, accented names intact, and every role of the clinic', async () => {
    expect(await employee('e-pelletier')).toMatchObject({ salary: 0, bankAccount: null, role: 'CONSULTANT', workEmail: 'h.pelletier@cisss-demo.example' });
    expect(await employee('e-cote')).toMatchObject({ lastName: 'Côté', role: 'BILLING_AGENT' });
    const roles = await Promise.all(['e-roy', 'e-morin', 'e-lavoie', 'e-girard', 'e-fortin'].map(async (id) => (await employee(id))?.role));
    expect(roles).toEqual(['RECEPTIONIST', 'ACCOUNTANT', 'HR', 'MANAGER', 'PRIVACY_OFFICER']);
  });

  it('walks every page of employees with first/after, by last name, with consistent cursors and page info', async () => {
    const pages: EmployeePage[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const current = await employees({ first: 5, after });
      pages.push(current);
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(pages.map((p) => p.nodes.map((n) => n.id))).toEqual([
      ['e-bouchard', 'e-cote', 'e-dufour', 'e-fortin', 'e-gagnon'],
      ['e-girard', 'e-lavoie', 'e-leblanc', 'e-morin', 'e-nguyen'],
      ['e-pelletier', 'e-roy', 'e-tremblay'],
    ]);
    expect(pages.map((p) => p.totalCount)).toEqual([13, 13, 13]);
    expect(pages.map((p) => [p.pageInfo.hasNextPage, p.pageInfo.hasPreviousPage])).toEqual([
      [true, false],
      [true, true],
      [false, true],
    ]);
    for (const p of pages) {
      expect(p.edges.map((e) => e.node.id)).toEqual(p.nodes.map((n) => n.id));
      expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor);
    }
  });

  it('lists the thirteen employees on one default page when first is omitted', async () => {
    const all = await employees({});
    expect(all.nodes).toHaveLength(13);
    expect(all.edges.map((e) => e.node.lastName)).toEqual([
      'Bouchard', 'Côté', 'Dufour', 'Fortin', 'Gagnon', 'Girard', 'Lavoie', 'Leblanc', 'Morin', 'Nguyen', 'Pelletier', 'Roy', 'Tremblay',
    ]);
    expect(all.pageInfo.hasNextPage).toBe(false);
  });

  it('returns a private invoice with its card payment and its patient from the patient subgraph', async () => {
    const i = await invoice('i-3');
    expect(i).toEqual({
      id: 'i-3',
      serviceDate: addDays(seedDay, -3),
      ramqBillingCode: null,
      diagnosisCode: null,
      description: 'Uninsured: medical note for employer',
      amount: 25,
      status: 'PAID',
      payments: [{ method: 'CARD', amount: 25, paidAt: expect.any(String), cardLast4: '4242' }],
      patient: { id: 'p-caron', firstName: 'Jean', lastName: 'Caron' },
    });
    expect(inClinic(i.payments[0]?.paidAt ?? '')).toBe(seededAt(anchor, -3));
  });

  it('returns a RAMQ invoice with its billing and diagnosis codes and a cent-exact amount', async () => {
    const i = await invoice('i-1');
    expect(i).toMatchObject({
      id: 'i-1',
      serviceDate: addDays(seedDay, -10),
      ramqBillingCode: '15804',
      diagnosisCode: 'F32.1',
      description: null,
      amount: 78.5,
      status: 'PAID',
      payments: [{ method: 'RAMQ', amount: 78.5, cardLast4: null }],
      patient: { id: 'p-lefebvre', firstName: 'Marie', lastName: 'Lefebvre' },
    });
    expect(inClinic(i.payments[0]?.paidAt ?? '')).toBe(seededAt(anchor, -2));
  });

  it('returns a submitted invoice with no payments as an empty list', async () => {
    expect(await invoice('i-2')).toMatchObject({ id: 'i-2', amount: 45, status: 'SUBMITTED', ramqBillingCode: '15801', diagnosisCode: 'E11.9', payments: [], patient: { lastName: 'Caron' } });
  });

  it("adds up each patient's balance from the billing subgraph: invoiced minus paid", async () => {
    const res = await system.query<{ patients: { nodes: { id: string; invoices: { id: string }[]; balance: number }[] } }>(
      `{ patients(first: 10) { nodes { id invoices { id } balance } } }`,
      undefined,
      BILLING_AGENT,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.patients.nodes).toEqual([
      { id: 'p-bergeron', invoices: [], balance: 0 },
      { id: 'p-caron', invoices: [{ id: 'i-2' }, { id: 'i-3' }], balance: 45 },
      { id: 'p-dion', invoices: [], balance: 0 },
      { id: 'p-gagnon', invoices: [], balance: 0 },
      { id: 'p-hebert', invoices: [], balance: 0 },
      { id: 'p-lavallee', invoices: [], balance: 0 },
      { id: 'p-lefebvre', invoices: [{ id: 'i-1' }], balance: 0 },
      { id: 'p-ouellet', invoices: [{ id: 'i-4' }], balance: 0 },
      { id: 'p-roy', invoices: [], balance: 0 },
    ]);
  });
});
