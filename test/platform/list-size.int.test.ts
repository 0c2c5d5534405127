import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import { AccessRestriction } from '../../services/patient/src/entities.js';
import { addLoadInvoices, addLoadPatients } from '../../bench/load-data.js';
import { LIST_SEARCHES, LIST_SIZE, LOAD_PATIENTS, PHYSICIAN_ID, RECEPTION_RESTRICTED, WARD_SIZE, loadPatientId } from '../../bench/load-plan.js';
import { NURSE_SELECTION, PATIENT_LIST_SELECTION, everyListQuery } from '../../bench/operations.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem, type GraphQLResponse } from '../support/clinic-system.js';
import { BILLING_AGENT, RECEPTIONIST, physicianWithMfa } from '../support/callers.js';

/**
 * The work the gateway makes for one request does not grow with the rows it answers: the same
 * realistic operations, on the benchmark's practice of 500 load patients (bench/load-data.ts), ask
 * each subgraph as many GraphQL requests, run as many SQL statements in each subgraph, make as many
 * policy look-ups and as many audit write transactions for 10 patients as for 100 and for 500, while
 * every row gets its own decisions (duties, restrictions naming the reader or their role, billing
 * refused to clinicians). Each operation asks the practice's five lists (bench list500's shape: one
 * page holds at most 100) for 2, 20 and 100 patients each, so that only the rows change, and one
 * list alone for 2, 20 and 100.
 */

const SIZES = [10, 100, LOAD_PATIENTS];
const LISTS = LIST_SEARCHES.length;
const ALL_LISTS = LIST_SEARCHES.map((_, k) => k);
const PHYSICIAN: Caller = { as: 'dr.tremblay' };
/** The assigned nurse of the load patients outside the benchmark's ward (WARD_SIZE and up). */
const OTHER_NURSE: Caller = { as: 'nurse.bouchard' };

/** Added to the benchmark's load here: every other load patient restricts their physician of record from their phone number. */
const restrictsPhysician = (i: number) => i % 2 === 0;

type Row = Record<string, unknown> & { id: string };
type Refusal = { path: string; reason: unknown };

/** The load patient's number (`p-bench-042` is 42). */
const loadIndex = (id: string) => {
  const match = /^p-bench-(\d{3})$/.exec(id);
  if (!match) throw new Error(`${id} is not a load patient`);
  return Number(match[1]);
};
/** The patients a list answers for `first`: the first of that list, in order. */
const expectedIds = (list: number, first: number) => Array.from({ length: first }, (_, j) => loadPatientId(list * LIST_SIZE + j));

/** A realistic operation on the first `first` patients of each list, and what its answer must hold row by row. */
interface SizedOperation {
  name: string;
  caller: Caller;
  /** What the operation asks of each list (`Query.patients`). */
  selection: string;
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
    name: 'patient lists (bench list100/list500) as the physician of record',
    caller: PHYSICIAN,
    selection: PATIENT_LIST_SELECTION,
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
    name: 'patient lists (bench list100/list500) as the reception',
    caller: RECEPTIONIST,
    selection: PATIENT_LIST_SELECTION,
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
    selection: NURSE_SELECTION,
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
    selection: `totalCount
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
    selection: `totalCount
    nodes {
      id lastName healthInsuranceNumber balance
      invoices { id amount status payments { method amount } patient { id lastName } }
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
  /** Transactions that wrote to the gateway's audit log. */
  auditTransactions: number;
}

type ListAnswer = { totalCount?: number; nodes: Row[] };
type Lists = Record<string, ListAnswer>;
interface Measured {
  /** The lists asked (their numbers), `size` patients in all. */
  lists: readonly number[];
  size: number;
  res: GraphQLResponse<Lists>;
  counts: Counts;
}

describe.each(testBackends())('work per request does not grow from 10 to 100 to 500 patients, on %s', (backend) => {
  let system: ClinicSystem;

  beforeAll(async () => {
    const now = new Date();
    // Nested lists of 500 patients cost far above the default limit; the employment check on every request, so that each request's counts are alike.
    system = await startClinicSystem({ backend, now, gateway: { limits: { maxCost: 10_000_000 }, employmentRecheckMs: 0 } });
    const patients = system.subgraphs.patient.db.fork();
    await Promise.all([addLoadPatients(patients, now), addLoadInvoices(system.subgraphs.billing.db.fork(), now)]);
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
    auditTransactions: system.gateway.auditStore.auditLog.writeTransactions,
  });
  const perSubgraph = (after: Record<SubgraphName, number>, before: Record<SubgraphName, number>) =>
    Object.fromEntries(SUBGRAPHS.map((s) => [s.name, after[s.name] - before[s.name]])) as Record<SubgraphName, number>;

  async function measured(op: SizedOperation, size: number, lists: readonly number[] = ALL_LISTS): Promise<Measured> {
    const before = snapshot();
    const res = await system.query<Lists>(everyListQuery('ListSize', op.selection, lists), { first: size / lists.length }, op.caller);
    const after = snapshot();
    return {
      lists,
      size,
      res,
      counts: {
        subgraphRequests: perSubgraph(after.subgraphRequests, before.subgraphRequests),
        sql: perSubgraph(after.sql, before.sql),
        policyLookups: after.policyLookups - before.policyLookups,
        policyRequests: perSubgraph(after.policyRequests, before.policyRequests),
        auditTransactions: after.auditTransactions - before.auditTransactions,
      },
    };
  }

  /** Every list holds the first patients it should, each with its own decisions, and the refusals are exactly those. */
  function expectRows(op: SizedOperation, { res, size, lists }: Measured): void {
    expect(res.status, JSON.stringify(res.errors?.slice(0, 2))).toBe(200);
    const expected: Refusal[] = [];
    for (const k of lists) {
      const list = res.data?.[`list${k}`];
      expect(list?.nodes.map((n) => n.id), `list${k}`).toEqual(expectedIds(k, size / lists.length));
      if (list?.totalCount !== undefined) expect(list.totalCount).toBe(LIST_SIZE);
      for (const [j, row] of (list?.nodes ?? []).entries()) {
        for (const r of op.row(row, loadIndex(row.id))) expected.push({ path: `list${k}.nodes.${j}.${r.path}`, reason: r.reason });
      }
    }
    const errors = res.errors ?? [];
    expect(errors.filter((e) => e.extensions?.code !== 'FORBIDDEN'), JSON.stringify(errors.slice(0, 3))).toEqual([]);
    const actual = errors.map((e) => ({ path: (e.path ?? []).join('.'), reason: e.extensions?.reason }));
    const byPath = (a: Refusal, b: Refusal) => a.path.localeCompare(b.path);
    expect(actual.sort(byPath)).toEqual(expected.sort(byPath));
  }

  it.each(OPERATIONS_AT_ANY_SIZE.map((op) => [op.name, op] as const))('%s', async (_name, op) => {
    const runs: Measured[] = [];
    for (const size of SIZES) runs.push(await measured(op, size));
    const small = runs[0] as Measured;
    // One list alone, for 2, 20 and 100 of its patients; and each list alone for 2 of its patients.
    const alone: Measured[] = [];
    for (const size of SIZES.map((n) => n / LISTS)) alone.push(await measured(op, size, [0]));
    const eachAlone: Measured[] = [];
    for (const k of ALL_LISTS) eachAlone.push(await measured(op, small.size / LISTS, [k]));

    // The answers really hold 10, 100 and 500 load patients, the whole practice in the last.
    for (const run of [...runs, ...alone, ...eachAlone]) expectRows(op, run);

    // Some work was measured at all...
    for (const name of op.asks) {
      expect(small.counts.subgraphRequests[name], `GraphQL requests to ${name}`).toBeGreaterThan(0);
      expect(small.counts.sql[name], `SQL in ${name}`).toBeGreaterThan(0);
    }
    for (const name of op.readsNothingIn) expect(runs.map((run) => run.counts.sql[name]), `SQL in ${name}`).toEqual(SIZES.map(() => 0));
    // Every one of these requests reads patient information: it is audited before it is answered.
    expect(small.counts.auditTransactions).toBeGreaterThan(0);
    // ...counted the same on both sides: every policy look-up the gateway made (there may be none,
    // once the policy facts travel in the subgraph requests) is one request a subgraph received...
    for (const run of runs) expect(Object.values(run.counts.policyRequests).reduce((a, b) => a + b, 0)).toBe(run.counts.policyLookups);

    // ...and one list costs the same for 2, 20 and 100 of its patients (its rows arrive together)...
    const perRequest = (c: Counts) => ({ policyLookups: c.policyLookups, policyRequests: c.policyRequests, auditTransactions: c.auditTransactions });
    for (const run of alone.slice(1)) expect({ size: run.size, ...run.counts }).toEqual({ size: run.size, ...(alone[0] as Measured).counts });
    // ...and five lists at once the same per request for 10, 100 and 500 patients; their rows may
    // arrive at different moments and be loaded in up to one batch per list, so their GraphQL
    // requests and SQL lie between one list's alone and the five lists' alone, whatever the rows.
    const sum = (pick: (c: Counts) => Record<SubgraphName, number>) =>
      Object.fromEntries(SUBGRAPHS.map((s) => [s.name, eachAlone.reduce((total, run) => total + pick(run.counts)[s.name], 0)])) as Record<SubgraphName, number>;
    const upTo = { subgraphRequests: sum((c) => c.subgraphRequests), sql: sum((c) => c.sql) };
    const fromOne = (alone[0] as Measured).counts;
    for (const run of runs) {
      expect({ size: run.size, ...perRequest(run.counts) }).toEqual({ size: run.size, ...perRequest(small.counts) });
      for (const s of SUBGRAPHS) {
        for (const kind of ['subgraphRequests', 'sql'] as const) {
          const label = `${kind} of ${s.name} for ${run.size} patients`;
          expect(run.counts[kind][s.name], label).toBeGreaterThanOrEqual(fromOne[kind][s.name]);
          expect(run.counts[kind][s.name], label).toBeLessThanOrEqual(upTo[kind][s.name]);
        }
      }
    }
  });
});
