import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import { AccessRestriction } from '../../services/patient/src/entities.js';
import { addLoadInvoices, addLoadPatients } from '../../bench/load-data.js';
import { ALL_SEARCH, LOAD_PATIENTS, PHYSICIAN_ID, RECEPTION_RESTRICTED, WARD_SIZE, loadPatientId } from '../../bench/load-plan.js';
import { OPERATIONS } from '../../bench/operations.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem, type GraphQLResponse } from '../support/clinic-system.js';
import { BILLING_AGENT, RECEPTIONIST, physicianWithMfa } from '../support/callers.js';

/**
 * The work the gateway makes for one request does not grow with the rows it answers: the same
 * realistic operations, on the benchmark's practice of 100 load patients (bench/load-data.ts), ask
 * each subgraph as many GraphQL requests, run as many SQL statements in each subgraph and make as
 * many policy look-ups for 10 patients as for 100, while every row gets its own decisions (duties,
 * restrictions naming the reader or their role, billing refused to clinicians).
 */

const SMALL = 10;
const LARGE = LOAD_PATIENTS;
const PHYSICIAN: Caller = { as: 'dr.tremblay' };
/** The assigned nurse of the load patients outside the benchmark's ward (WARD_SIZE and up). */
const OTHER_NURSE: Caller = { as: 'nurse.bouchard' };

/** Added to the benchmark's load here: every other load patient restricts their physician of record from their phone number. */
const restrictsPhysician = (i: number) => i % 2 === 0;

/** The benchmark's own query of an operation (bench/operations.ts), asked here with other readers and sizes. */
function benchQuery(name: string): string {
  const op = OPERATIONS.find((o) => o.name === name);
  if (!op) throw new Error(`no bench operation ${name}`);
  return op.query;
}

type Row = Record<string, unknown> & { id: string };
type Refusal = { path: string; reason: unknown };

const LOAD_IDS = Array.from({ length: LOAD_PATIENTS }, (_, i) => loadPatientId(i));
/** The load patient's number (`p-bench-042` is 42). */
const loadIndex = (id: string) => {
  const i = LOAD_IDS.indexOf(id);
  if (i < 0) throw new Error(`${id} is not a load patient`);
  return i;
};

/** A realistic operation on the first `first` load patients, and what its answer must hold row by row. */
interface SizedOperation {
  name: string;
  caller: Caller;
  query: string;
  /** Subgraphs the operation must send GraphQL requests to and run SQL in. */
  asks: SubgraphName[];
  /** Subgraphs that must read nothing (no SQL), whatever the size: nothing of theirs is asked, or it is refused. */
  readsNothingIn: SubgraphName[];
  /** Checks one row (number `i` of the load) and lists the refusals it must carry, as paths under the row. */
  row(row: Row, i: number): Refusal[];
}

const clinicalOf = (row: Row) => ({ allergies: row.allergies, medications: row.medications, vitals: row.vitals });
const refused = (reason: string, ...fields: string[]): Refusal[] => fields.map((path) => ({ path, reason }));

const OPERATIONS_AT_ANY_SIZE: SizedOperation[] = [
  {
    name: 'patient list (bench list100) as the physician of record',
    caller: PHYSICIAN,
    query: benchQuery('list100'),
    asks: ['patient'],
    readsNothingIn: ['billing'],
    row(row, i) {
      // A duty toward every load patient (care assignment): contact and insurance are hers to read, unless restricted.
      expect(row.healthInsuranceNumber).toEqual(expect.any(String));
      expect(row.phone).toBe(restrictsPhysician(i) ? null : `514-555-${1000 + i}`);
      return restrictsPhysician(i) ? refused('RESTRICTED', 'phone') : [];
    },
  },
  {
    name: 'patient list (bench list100) as the reception',
    caller: RECEPTIONIST,
    query: benchQuery('list100'),
    asks: ['patient'],
    readsNothingIn: ['billing'],
    row(row, i) {
      const restricted = RECEPTION_RESTRICTED.includes(i);
      expect(row.healthInsuranceNumber).toEqual(expect.any(String));
      expect(row.phone).toBe(restricted ? null : `514-555-${1000 + i}`);
      return restricted ? refused('RESTRICTED', 'phone') : [];
    },
  },
  {
    name: 'nurse station (bench nurse) as the assigned nurse of some of the patients',
    caller: OTHER_NURSE,
    query: benchQuery('nurse'),
    asks: ['patient'],
    // Balance is billing information, refused to a nurse: the billing subgraph reads nothing (the
    // gateway still sends it one entity fetch of the patients' keys only, which runs no SQL).
    readsNothingIn: ['billing'],
    row(row, i) {
      expect(row.balance).toBeNull();
      // The benchmark's ward is another nurse's: no duty toward those patients.
      if (i < WARD_SIZE) {
        expect(clinicalOf(row)).toEqual({ allergies: null, medications: null, vitals: null });
        return [...refused('NO_DUTY', 'allergies', 'medications', 'vitals'), ...refused('ROLE', 'balance')];
      }
      expect(row.allergies).toHaveLength(2);
      expect(row.medications).toHaveLength(2);
      expect(row.vitals).toHaveLength(3);
      return refused('ROLE', 'balance');
    },
  },
  {
    name: 'physician station: nested clinical lists, notes, schedule and care team across subgraphs (balance refused)',
    caller: physicianWithMfa('dr.tremblay'),
    query: `query PhysicianStation($search: String!, $first: Int!) {
  patients(search: $search, first: $first) {
    totalCount
    nodes {
      id lastName phone
      allergies
      medications { name dosage }
      diagnoses { code recordedAt }
      vitals { kind value }
      documents { id title }
      clinicalNotes { id text author { id lastName } }
      appointments { id startsAt practitioner { lastName } patient { id phone } }
      careTeam { kind employee { id lastName } }
      balance
    }
  }
}`,
    asks: ['patient', 'employee'],
    readsNothingIn: ['billing'],
    row(row, i) {
      const restricted = restrictsPhysician(i);
      expect(row.phone).toBe(restricted ? null : `514-555-${1000 + i}`);
      expect(row).toMatchObject({ allergies: expect.any(Array), medications: expect.any(Array), diagnoses: expect.any(Array), documents: expect.any(Array) });
      expect((row.vitals as unknown[]).length).toBe(3);
      expect(row.clinicalNotes).toEqual([expect.objectContaining({ author: { id: PHYSICIAN_ID, lastName: 'Tremblay' } })]);
      expect((row.careTeam as { employee: { id: string } }[]).map((c) => c.employee.id).sort()).toEqual([PHYSICIAN_ID, i < WARD_SIZE ? 'e-gagnon' : 'e-bouchard'].sort());
      const appointments = row.appointments as { practitioner: { lastName: string }; patient: { id: string; phone: string | null } }[];
      expect(appointments.length).toBeGreaterThanOrEqual(1);
      expect(appointments.every((a) => typeof a.practitioner.lastName === 'string' && a.patient.id === row.id)).toBe(true);
      // The restriction follows the patient to their appointments: the same phone refused through each one.
      expect(appointments.map((a) => a.patient.phone)).toEqual(appointments.map(() => (restricted ? null : `514-555-${1000 + i}`)));
      expect(row.balance).toBeNull();
      return [
        ...(restricted ? [...refused('RESTRICTED', 'phone'), ...appointments.flatMap((_, k) => refused('RESTRICTED', `appointments.${k}.patient.phone`))] : []),
        ...refused('ROLE', 'balance'),
      ];
    },
  },
  {
    name: 'billing desk: balance, invoices and payments from the billing subgraph, their patient back from the patient subgraph',
    caller: BILLING_AGENT,
    query: `query BillingDesk($search: String!, $first: Int!) {
  patients(search: $search, first: $first) {
    totalCount
    nodes {
      id lastName healthInsuranceNumber balance
      invoices { id amount status payments { method amount } patient { id lastName } }
    }
  }
}`,
    asks: ['patient', 'billing'],
    readsNothingIn: [],
    row(row) {
      expect(row.healthInsuranceNumber).toEqual(expect.any(String));
      expect(row.balance).toBe(25);
      const invoices = row.invoices as { amount: number; payments: unknown[]; patient: { id: string } }[];
      expect(invoices.map((inv) => inv.amount).sort()).toEqual([25, 50]);
      expect(invoices.map((inv) => inv.payments.length).sort()).toEqual([0, 1]);
      expect(invoices.every((inv) => inv.patient.id === row.id)).toBe(true);
      return [];
    },
  },
];

interface Counts {
  subgraphRequests: Record<SubgraphName, number>;
  sql: Record<SubgraphName, number>;
  /** Counted by the gateway. */
  policyLookups: number;
  /** The same look-ups, counted by the subgraphs that answered them. */
  policyRequests: Record<SubgraphName, number>;
}

describe.each(testBackends())('work per request does not grow from 10 to 100 patients, on %s', (backend) => {
  let system: ClinicSystem;

  beforeAll(async () => {
    const now = new Date();
    // Nested lists of 100 patients cost far above the default limit.
    system = await startClinicSystem({ backend, now, gateway: { limits: { maxCost: 1_000_000 } } });
    const patients = system.subgraphs.patient.db.fork();
    await addLoadPatients(patients, now);
    await addLoadInvoices(system.subgraphs.billing.db.fork(), now);
    for (let i = 0; i < LOAD_PATIENTS; i += 1) {
      if (!restrictsPhysician(i)) continue;
      const patientId = loadPatientId(i);
      patients.create(AccessRestriction, { id: `r-size-${patientId}`, patientId, employeeId: PHYSICIAN_ID, role: null, fields: ['Patient.phone'], reason: null, startsAt: new Date(now.getTime() - 60_000), endsAt: null, lifted: false });
    }
    await patients.flush();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const snapshot = (): Counts => ({
    subgraphRequests: system.subgraphRequests(),
    sql: system.sqlStatements(),
    policyLookups: system.gateway.policyLookups(),
    policyRequests: system.policyRequests(),
  });
  const perSubgraph = (after: Record<SubgraphName, number>, before: Record<SubgraphName, number>) =>
    Object.fromEntries(SUBGRAPHS.map((s) => [s.name, after[s.name] - before[s.name]])) as Record<SubgraphName, number>;

  async function measured(op: SizedOperation, first: number): Promise<{ res: GraphQLResponse<{ patients: { totalCount?: number; nodes: Row[] } }>; counts: Counts }> {
    const before = snapshot();
    const res = await system.query<{ patients: { totalCount?: number; nodes: Row[] } }>(op.query, { search: ALL_SEARCH, first }, op.caller);
    const after = snapshot();
    return {
      res,
      counts: {
        subgraphRequests: perSubgraph(after.subgraphRequests, before.subgraphRequests),
        sql: perSubgraph(after.sql, before.sql),
        policyLookups: after.policyLookups - before.policyLookups,
        policyRequests: perSubgraph(after.policyRequests, before.policyRequests),
      },
    };
  }

  /** Every row is the load patient it should be, with its own decisions, and the refusals are exactly those. */
  function expectRows(op: SizedOperation, res: GraphQLResponse<{ patients: { nodes: Row[] } }>, first: number): void {
    expect(res.status).toBe(200);
    const nodes = res.data?.patients.nodes ?? [];
    expect(nodes).toHaveLength(first);
    const expected = nodes.flatMap((row, k) => op.row(row, loadIndex(row.id)).map((r) => ({ path: `patients.nodes.${k}.${r.path}`, reason: r.reason })));
    const errors = res.errors ?? [];
    expect(errors.filter((e) => e.extensions?.code !== 'FORBIDDEN'), JSON.stringify(errors.slice(0, 3))).toEqual([]);
    const actual = errors.map((e) => ({ path: (e.path ?? []).join('.'), reason: e.extensions?.reason }));
    const byPath = (a: Refusal, b: Refusal) => a.path.localeCompare(b.path);
    expect(actual.sort(byPath)).toEqual(expected.sort(byPath));
  }

  it.each(OPERATIONS_AT_ANY_SIZE.map((op) => [op.name, op] as const))('%s', async (_name, op) => {
    const small = await measured(op, SMALL);
    const large = await measured(op, LARGE);

    // The answers really hold 10 and 100 load patients: the first 10 of the 100, and every load patient in the 100.
    expectRows(op, small.res, SMALL);
    expectRows(op, large.res, LARGE);
    expect(small.res.data?.patients.nodes.map((n) => n.id)).toEqual(large.res.data?.patients.nodes.slice(0, SMALL).map((n) => n.id));
    expect(new Set(large.res.data?.patients.nodes.map((n) => n.id))).toEqual(new Set(LOAD_IDS));
    if (small.res.data?.patients.totalCount !== undefined) expect([small.res.data.patients.totalCount, large.res.data?.patients.totalCount]).toEqual([LOAD_PATIENTS, LOAD_PATIENTS]);

    // Some work was measured at all...
    for (const name of op.asks) {
      expect(small.counts.subgraphRequests[name], `GraphQL requests to ${name}`).toBeGreaterThan(0);
      expect(small.counts.sql[name], `SQL in ${name}`).toBeGreaterThan(0);
    }
    for (const name of op.readsNothingIn) expect([small.counts.sql[name], large.counts.sql[name]], `SQL in ${name}`).toEqual([0, 0]);
    expect(small.counts.policyLookups).toBeGreaterThan(0);
    // ...counted the same on both sides: every look-up the gateway made is one request a subgraph received.
    for (const run of [small, large]) expect(Object.values(run.counts.policyRequests).reduce((a, b) => a + b, 0)).toBe(run.counts.policyLookups);

    // ...and it is the same for 10 patients as for 100.
    expect(large.counts.subgraphRequests).toEqual(small.counts.subgraphRequests);
    expect(large.counts.sql).toEqual(small.counts.sql);
    expect(large.counts.policyLookups).toBe(small.counts.policyLookups);
    expect(large.counts.policyRequests).toEqual(small.counts.policyRequests);
  });
});
