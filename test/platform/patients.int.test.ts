import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { inClinic, seededAt } from '../support/clinic-time.js';

interface PatientPage {
  patients: {
    totalCount: number;
    edges: { cursor: string; node: { id: string } }[];
    nodes: { id: string; firstName: string; lastName: string }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const PAGE_QUERY = `query Patients($search: String, $first: Int, $after: String) {
  patients(search: $search, first: $first, after: $after) {
    totalCount
    edges { cursor node { id } }
    nodes { id firstName lastName }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const FULL_PATIENT = `query Patient($id: ID!) {
  patient(id: $id) {
    id firstName lastName dateOfBirth sex phone email address healthInsuranceNumber
    allergies
    medications { name dosage }
    diagnoses { code description recordedAt }
    vitals { kind value recordedAt }
    documents { id kind title createdAt }
    clinicalNotes { id text writtenAt author { id firstName lastName role } }
    appointments { id startsAt reason status patient { id } practitioner { id firstName lastName } }
    careTeam { kind since until employee { id firstName lastName role } }
    accessRestrictions { id patientId employeeId role fields reason from to lifted }
    communicationConsent { appointmentReminders newsletter }
    invoices { id amount status }
    balance
  }
}`;

interface FullPatient {
  id: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  healthInsuranceNumber: string | null;
  allergies: string[];
  medications: { name: string; dosage: string | null }[];
  diagnoses: { code: string; description: string | null; recordedAt: string }[];
  vitals: { kind: string; value: string; recordedAt: string }[];
  documents: { id: string; kind: string; title: string | null; createdAt: string }[];
  clinicalNotes: { id: string; text: string; writtenAt: string; author: { id: string; firstName: string; lastName: string; role: string } }[];
  appointments: { id: string; startsAt: string; reason: string; status: string; patient: { id: string }; practitioner: { id: string; firstName: string; lastName: string } }[];
  careTeam: { kind: string; since: string; until: string | null; employee: { id: string; firstName: string; lastName: string; role: string } }[];
  accessRestrictions: { id: string; patientId: string; employeeId: string | null; role: string | null; fields: string[]; reason: string; from: string; to: string | null; lifted: boolean }[];
  communicationConsent: { appointmentReminders: boolean; newsletter: boolean };
  invoices: { id: string; amount: number; status: string }[];
  balance: number;
}

describe.each(testBackends())('patients through the gateway on %s', (backend) => {
  let system: ClinicSystem;
  // Seeding anchor: every day offset of the fixture is read from this moment, on the clinic's wall clock.
  const anchor = new Date();

  beforeAll(async () => {
    system = await startClinicSystem({ backend, now: anchor });
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function patient(id: string): Promise<FullPatient> {
    const res = await system.query<{ patient: FullPatient }>(FULL_PATIENT, { id });
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res.data?.patient as FullPatient;
  }

  async function page(variables: { search?: string; first?: number; after?: string | null }): Promise<PatientPage['patients']> {
    const res = await system.query<PatientPage>(PAGE_QUERY, variables);
    expect(res.errors).toBeUndefined();
    return res.data?.patients as PatientPage['patients'];
  }

  it('returns every field of a patient record, clinical lists, care team, restrictions, consent and billing included', async () => {
    const p = await patient('p-lefebvre');
    expect(p).toMatchObject({
      id: 'p-lefebvre',
      firstName: 'Marie',
      lastName: 'Lefebvre',
      dateOfBirth: '1985-01-01',
      sex: 'F',
      phone: '514-555-2001',
      email: 'marie.lefebvre@example.org',
      address: '400 rue Sherbrooke E, Montréal QC H2L 1J6',
      healthInsuranceNumber: 'LEFM85510112',
      allergies: ['Penicillin'],
      medications: [{ name: 'Sertraline', dosage: '50 mg daily' }],
      communicationConsent: { appointmentReminders: true, newsletter: false },
      invoices: [{ id: 'i-1', amount: 78.5, status: 'PAID' }],
      balance: 0,
    });
    expect(p.diagnoses.map((d) => [d.code, d.description, inClinic(d.recordedAt)])).toEqual([['F32.1', 'Moderate depressive episode', seededAt(anchor, -200)]]);
    expect(p.vitals.map((v) => [v.kind, v.value, inClinic(v.recordedAt)])).toEqual([['BLOOD_PRESSURE', '118/76', seededAt(anchor, -10)]]);
    expect(p.documents.map((d) => [d.id, d.kind, d.title, inClinic(d.createdAt)])).toEqual([['d-lef-1', 'VISIT_NOTE', 'Annual check-up 2019', seededAt(anchor, -2400)]]);
    expect(p.clinicalNotes).toEqual([
      {
        id: 'n-lef-1',
        text: 'Follow-up for mood; tolerating sertraline well.',
        writtenAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        author: { id: 'e-tremblay', firstName: 'Julie', lastName: 'Tremblay', role: 'PHYSICIAN' },
      },
    ]);
    expect(inClinic(p.clinicalNotes[0]?.writtenAt ?? '')).toBe(seededAt(anchor, -10));
    expect(p.appointments).toHaveLength(1);
    expect(p.appointments[0]).toMatchObject({
      id: 'a-2',
      reason: 'Follow-up',
      status: 'BOOKED',
      patient: { id: 'p-lefebvre' },
      practitioner: { id: 'e-tremblay', firstName: 'Julie', lastName: 'Tremblay' },
    });
    // a-2 is tomorrow at 09:00 in the clinic.
    expect(inClinic(p.appointments[0]?.startsAt ?? '')).toBe(`${seededAt(anchor, 1).slice(0, 10)} 09:00:00.000`);
    expect(p.careTeam.map((c) => [c.kind, inClinic(c.since), c.until, c.employee])).toEqual([
      ['PHYSICIAN_OF_RECORD', seededAt(anchor, -3000), null, { id: 'e-tremblay', firstName: 'Julie', lastName: 'Tremblay', role: 'PHYSICIAN' }],
      ['ASSIGNED_NURSE', seededAt(anchor, -100), null, { id: 'e-gagnon', firstName: 'Isabelle', lastName: 'Gagnon', role: 'NURSE' }],
    ]);
    expect(p.accessRestrictions).toEqual([
      {
        id: 'r-1',
        patientId: 'p-lefebvre',
        employeeId: 'e-gagnon',
        role: null,
        fields: ['Patient.diagnoses', 'Patient.clinicalNotes', 'Patient.medications'],
        reason: 'Nurse is a neighbour; patient asked that she not see her mental-health information.',
        from: expect.any(String),
        to: null,
        lifted: false,
      },
    ]);
    expect(inClinic(p.accessRestrictions[0]?.from ?? '')).toBe(seededAt(anchor, -30));
  });

  it('keeps several rows of a list in order: care team by start, invoices by service date, with the balance of the unpaid one', async () => {
    const p = await patient('p-caron');
    expect(p).toMatchObject({
      firstName: 'Jean',
      lastName: 'Caron',
      email: 'jean.caron@example.org',
      healthInsuranceNumber: 'CARJ62072118',
      allergies: [],
      medications: [{ name: 'Metformin', dosage: '500 mg twice daily' }],
      diagnoses: [{ code: 'E11.9', description: 'Type 2 diabetes without complications' }],
      vitals: [{ kind: 'GLUCOSE', value: '7.2 mmol/L' }],
      documents: [],
      communicationConsent: { appointmentReminders: true, newsletter: true },
      invoices: [
        { id: 'i-2', amount: 45, status: 'SUBMITTED' },
        { id: 'i-3', amount: 25, status: 'PAID' },
      ],
      balance: 45,
    });
    expect(p.clinicalNotes.map((n) => [n.id, n.text, n.author.lastName, n.author.role])).toEqual([['n-car-1', 'Diabetes follow-up, HbA1c ordered.', 'Bouchard', 'NURSE']]);
    expect(p.appointments.map((a) => [a.id, a.reason, a.practitioner.lastName])).toEqual([['a-1', 'Walk-in: foot wound', 'Nguyen']]);
    expect(p.careTeam.map((c) => [c.kind, c.employee.id, inClinic(c.since)])).toEqual([
      ['PHYSICIAN_OF_RECORD', 'e-tremblay', seededAt(anchor, -3000)],
      ['ASSIGNED_NURSE', 'e-gagnon', seededAt(anchor, -100)],
      ['ASSIGNED_NURSE', 'e-bouchard', seededAt(anchor, -50)],
    ]);
    expect(p.accessRestrictions.map((r) => [r.id, r.employeeId, r.role, r.fields, r.lifted])).toEqual([['r-2', null, 'RECEPTIONIST', ['Patient.address', 'Patient.email'], false]]);
  });

  it('lists documents most recent first and shows a closed care assignment with its end', async () => {
    const p = await patient('p-dion');
    expect(p.documents.map((d) => [d.id, d.kind, d.title, inClinic(d.createdAt)])).toEqual([
      ['d-dio-3', 'VISIT_NOTE', 'Routine visit', seededAt(anchor, -2200)],
      ['d-dio-2', 'PATHOLOGY_REPORT', 'Polyp pathology', seededAt(anchor, -2205)],
      ['d-dio-1', 'ENDOSCOPY_REPORT', 'Colonoscopy report', seededAt(anchor, -2210)],
    ]);
    expect(p.careTeam.map((c) => [c.kind, c.employee.id, inClinic(c.since), c.until && inClinic(c.until)])).toEqual([
      ['PHYSICIAN_OF_RECORD', 'e-tremblay', seededAt(anchor, -5000), seededAt(anchor, -2000)],
    ]);
    expect(p).toMatchObject({ email: null, phone: '418-555-2005', appointments: [], invoices: [], balance: 0, accessRestrictions: [] });
  });

  it('returns empty lists, not null, for a patient with no clinical rows and no invoices', async () => {
    const p = await patient('p-bergeron');
    expect(p).toMatchObject({
      firstName: 'Anne',
      lastName: 'Bergeron',
      allergies: [],
      medications: [],
      vitals: [],
      clinicalNotes: [],
      documents: [],
      invoices: [],
      balance: 0,
      diagnoses: [{ code: 'J45.909', description: 'Asthma, uncomplicated' }],
      communicationConsent: { appointmentReminders: true, newsletter: false },
    });
  });

  it('walks every page of patients with first/after, by last name, with consistent cursors and page info', async () => {
    const pages: PatientPage['patients'][] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const current = await page({ first: 2, after });
      pages.push(current);
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(pages.map((p) => p.nodes.map((n) => n.id))).toEqual([['p-bergeron', 'p-caron'], ['p-dion', 'p-lefebvre'], ['p-ouellet']]);
    expect(pages.map((p) => p.totalCount)).toEqual([5, 5, 5]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    for (const p of pages) {
      expect(p.edges.map((e) => e.node.id)).toEqual(p.nodes.map((n) => n.id));
      expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor);
    }
    const cursors = pages.flatMap((p) => p.edges.map((e) => e.cursor));
    expect(new Set(cursors).size).toBe(5);
  });

  it('resumes after any edge cursor, not only the end of a page', async () => {
    const first = await page({ first: 3 });
    const afterBergeron = await page({ first: 2, after: first.edges[0]?.cursor ?? null });
    expect(afterBergeron.nodes.map((n) => n.id)).toEqual(['p-caron', 'p-dion']);
  });

  it('returns an empty last page after the final cursor', async () => {
    const all = await page({ first: 5 });
    expect(all.pageInfo.hasNextPage).toBe(false);
    const beyond = await page({ first: 5, after: all.pageInfo.endCursor });
    expect(beyond).toMatchObject({ totalCount: 5, edges: [], nodes: [], pageInfo: { hasNextPage: false, startCursor: null, endCursor: null } });
  });

  it('returns all five demo patients on one page when first is omitted, and accepts the maximum page size of 100', async () => {
    const byDefault = await page({});
    expect(byDefault.nodes.map((n) => n.lastName)).toEqual(['Bergeron', 'Caron', 'Dion', 'Lefebvre', 'Ouellet']);
    expect(byDefault.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const largest = await page({ first: 100 });
    expect(largest.nodes).toHaveLength(5);
  });

  it.each([
    ['caron', ['p-caron']],
    ['CARON', ['p-caron']],
    ['MaRiE', ['p-lefebvre']],
    ['lef', ['p-lefebvre']],
    ['AN', ['p-bergeron', 'p-caron']],
    ['jean CARON', ['p-caron']],
    ['caron jean', ['p-caron']],
    ['  luc   OUELLET  ', ['p-ouellet']],
    ['jean bergeron', []],
    ['Penicillin', []],
    ['514-555-2001', []],
    ['example.org', []],
    ['', ['p-bergeron', 'p-caron', 'p-dion', 'p-lefebvre', 'p-ouellet']],
  ])('searches first and last names case-insensitively, every word matching: "%s"', async (search, ids) => {
    const result = await page({ search });
    expect(result.nodes.map((n) => n.id)).toEqual(ids);
    expect(result.totalCount).toBe(ids.length);
  });

  it('paginates search results with the total of matches', async () => {
    const first = await page({ search: 'an', first: 1 });
    expect(first).toMatchObject({ totalCount: 2, nodes: [{ id: 'p-bergeron' }], pageInfo: { hasNextPage: true } });
    const second = await page({ search: 'an', first: 1, after: first.pageInfo.endCursor });
    expect(second).toMatchObject({ totalCount: 2, nodes: [{ id: 'p-caron' }], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
  });
});
