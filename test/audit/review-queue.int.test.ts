import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClinicCalendar } from '@clinic/schema';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';

const ITEM = 'id kind openedAt actorId patientIds trigger status outcome note closedBy closedAt emergencyAccessId incidentId';
const ITEMS = `query($status: String, $kind: String, $first: Int, $after: String) {
  reviewItems(status: $status, kind: $kind, first: $first, after: $after) { totalCount hasNextPage endCursor nodes { ${ITEM} } }
}`;
const CLOSE = `mutation($id: ID!, $outcome: String!, $note: String) { closeReviewItem(id: $id, outcome: $outcome, note: $note) { ${ITEM} } }`;
const OPEN_EMERGENCY = 'mutation($p: ID!, $j: String!) { openEmergencyAccess(patientId: $p, justification: $j) { id } }';
const MARK = 'mutation($p: ID!, $s: Boolean!, $r: String!) { markRecordSensitive(patientId: $p, sensitive: $s, reason: $r) { id sensitive } }';
const OFFICER = { as: 'privacy.fortin' };

interface Item {
  id: string;
  kind: string;
  openedAt: string;
  actorId: string | null;
  patientIds: string[];
  trigger: string;
  status: string;
  outcome: string | null;
  note: string | null;
  closedBy: string | null;
  closedAt: string | null;
  emergencyAccessId: string | null;
  incidentId: string | null;
}
interface Page {
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
  nodes: Item[];
}

/** The demo clinic's cases (schema/fixtures/demo-clinic.json `auditHistory` and its patients): one item each. */
const DEMO_CASES = [
  ['BULK_READS', 'e-morin', ['p-bergeron', 'p-caron', 'p-dion', 'p-gagnon', 'p-lefebvre', 'p-ouellet']],
  ['COWORKER_RECORD', 'e-cote', ['p-roy']],
  ['EMERGENCY_ACCESS', 'e-bouchard', ['p-lefebvre']],
  ['OFF_HOURS', 'e-tremblay', ['p-lefebvre']],
  ['OWN_RECORD', 'e-roy', ['p-roy']],
  ['REPEATED_DENIALS', 'e-pelletier', ['p-bergeron', 'p-caron', 'p-dion', 'p-lefebvre']],
  ['SAME_ADDRESS', 'e-bouchard', ['p-hebert']],
  ['SAME_LAST_NAME', 'e-gagnon', ['p-gagnon']],
  ['SENSITIVE_RECORD', 'e-nguyen', ['p-lavallee']],
];

describe.each(testBackends())('the review queue and the watch over allowed reads on %s', (backend) => {
  let system: ClinicSystem;
  // 10:00 today in the clinic: inside opening hours; seeding and requests share this clock.
  const start = new ClinicCalendar(new Date()).instantAtTime(0, '10:00');
  let now = start;
  const advance = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };
  beforeAll(async () => {
    system = await startClinicSystem({ backend, now: start, clock: () => now, auditHistory: true });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const page = async (variables: Record<string, unknown> = {}) => {
    const res = await system.query<{ reviewItems: Page }>(ITEMS, { first: 100, ...variables }, OFFICER);
    expect(res.errors).toBeUndefined();
    return res.data?.reviewItems as Page;
  };
  const cases = (items: Item[]) => items.map((i) => [i.kind, i.actorId, i.patientIds]).sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));

  it('opens exactly one review item on each demo case, and none on the other demo reads', async () => {
    const first = await page();
    expect(cases(first.nodes)).toEqual(DEMO_CASES);
    expect(first.totalCount).toBe(DEMO_CASES.length);
    expect(first.nodes.every((i) => i.status === 'OPEN' && i.outcome === null)).toBe(true);
    // What triggered it names ids, never a name or an address.
    const triggers = first.nodes.map((i) => i.trigger).join(' ');
    for (const personal of ['Roy ', 'Gagnon', 'Hébert', 'Lavallée', 'René-Lévesque', 'Principale']) expect(triggers).not.toContain(personal);
    // The repeated refusals keep their incident (SPEC §9), linked to the item.
    const refusals = first.nodes.find((i) => i.kind === 'REPEATED_DENIALS');
    const incidents = await system.query<{ incidents: { id: string; kind: string }[] }>('{ incidents { id kind } }', undefined, OFFICER);
    expect(incidents.data?.incidents).toEqual([{ id: refusals?.incidentId, kind: 'REPEATED_DENIALS' }]);
  });

  it('opens nothing twice: more reads of a case, the detector run again, the whole log read again', async () => {
    const seeded = (await page()).nodes.map((i) => i.id);
    // The own-record case today: one new case (the demo's was two days ago), however many reads.
    await system.query('{ patient(id: "p-roy") { firstName phone } }', undefined, { as: 'reception.roy' });
    advance(1);
    await system.query('{ patient(id: "p-roy") { address } }', undefined, { as: 'reception.roy' });
    const today = (await page({ kind: 'OWN_RECORD' })).nodes;
    expect(today.map((i) => [i.actorId, i.patientIds])).toEqual([['e-roy', ['p-roy']], ['e-roy', ['p-roy']]]);
    const before = (await page()).nodes.map((i) => i.id).sort();
    expect(before).toHaveLength(seeded.length + 1);
    await system.query('{ patient(id: "p-roy") { phone } }', undefined, { as: 'reception.roy' });
    await system.gateway.watch.scan();
    await system.gateway.watch.scan();
    const connection = system.gateway.auditStore.db.fork().getConnection('write');
    await connection.execute('update watch_cursor set last_seq = 0 where id = 1');
    expect(await system.gateway.watch.scan()).toBe(0);
    expect((await page()).nodes.map((i) => i.id).sort()).toEqual(before);
  });

  it('watches live reads: a record the privacy officer flags sensitive, once per reader and day; ordinary reads open nothing', async () => {
    const before = (await page()).totalCount;
    // dr.tremblay reads her own patients during opening hours: nothing to review.
    for (const id of ['p-lefebvre', 'p-caron']) await system.query(`{ patient(id: "${id}") { allergies phone } }`, undefined, { as: 'dr.tremblay' });
    expect((await page()).totalCount).toBe(before);

    expectDecision(await system.query(MARK, { p: 'p-caron', s: true, r: 'Patient is a board member.' }, { as: 'dr.tremblay' }), ['markRecordSensitive'], 'ROLE');
    const marked = await system.query(MARK, { p: 'p-caron', s: true, r: 'Patient is a board member.' }, OFFICER);
    expect(marked.data).toEqual({ markRecordSensitive: { id: 'p-caron', sensitive: true } });
    // Patient.sensitive: the privacy officer and the patient read it; a physician is refused it.
    expect((await system.query('{ patient(id: "p-caron") { sensitive } }', undefined, OFFICER)).data).toEqual({ patient: { sensitive: true } });
    expect((await system.query('{ patient(id: "p-caron") { sensitive } }', undefined, { as: 'patient.caron' })).data).toEqual({ patient: { sensitive: true } });
    expectDecision(await system.query('{ patient(id: "p-caron") { sensitive } }', undefined, { as: 'dr.tremblay' }), ['patient', 'sensitive'], 'ROLE');

    await system.query('{ patient(id: "p-caron") { allergies } }', undefined, { as: 'nurse.gagnon' });
    advance(5);
    await system.query('{ patient(id: "p-caron") { medications { name } } }', undefined, { as: 'nurse.gagnon' });
    const sensitive = (await page({ kind: 'SENSITIVE_RECORD' })).nodes.filter((i) => i.patientIds.includes('p-caron'));
    // dr.tremblay's reads before the flag open nothing; her look at the record after it does (its `sensitive` field was
    // refused, the record itself was reached). Two reads of nurse.gagnon, one item. The officer's own accesses are not in their queue.
    expect(sensitive.map((i) => [i.actorId, i.patientIds]).sort()).toEqual([['e-gagnon', ['p-caron']], ['e-tremblay', ['p-caron']]]);
    expect((await page()).totalCount).toBe(before + 2);
    await system.query(MARK, { p: 'p-caron', s: false, r: 'No longer on the board.' }, OFFICER);
  });

  it('puts an emergency access in the review queue, not in the incident register; closing it as MISUSE opens a linked incident', async () => {
    const opened = await system.query<{ openEmergencyAccess: { id: string } }>(OPEN_EMERGENCY, { p: 'p-dion', j: 'Patient found unconscious; needs his history now.' }, { as: 'nurse.bouchard' });
    expect(opened.errors).toBeUndefined();
    const accessId = opened.data?.openEmergencyAccess.id;
    const items = (await page({ kind: 'EMERGENCY_ACCESS', status: 'OPEN' })).nodes.filter((i) => i.emergencyAccessId === accessId);
    expect(items.map((i) => [i.actorId, i.patientIds, i.incidentId])).toEqual([['e-bouchard', ['p-dion'], null]]);
    const register = async () => (await system.query<{ incidents: { id: string; kind: string; description: string | null }[] }>('{ incidents { id kind description } }', undefined, OFFICER)).data?.incidents ?? [];
    expect((await register()).filter((i) => i.kind === 'EMERGENCY_ACCESS')).toEqual([]);

    const closed = await system.query<{ closeReviewItem: Item }>(CLOSE, { id: items[0]?.id, outcome: 'MISUSE', note: 'Not his patient; no emergency on record.' }, OFFICER);
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.closeReviewItem).toMatchObject({ status: 'CLOSED', outcome: 'MISUSE', note: 'Not his patient; no emergency on record.', closedBy: 'e-fortin', closedAt: now.toISOString() });
    const incident = (await register()).find((i) => i.id === closed.data?.closeReviewItem.incidentId);
    expect(incident?.kind).toBe('EMERGENCY_ACCESS');
    expect(incident?.description).toContain(items[0]?.id ?? '?');

    const again = await system.query(CLOSE, { id: items[0]?.id, outcome: 'APPROPRIATE' }, OFFICER);
    expect(again.errors?.[0]).toMatchObject({ message: `Review item "${items[0]?.id}" is already closed`, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('closes an item as APPROPRIATE without an incident; MISUSE of another kind opens a REVIEW_MISUSE incident', async () => {
    const countIncidents = async () => (await system.query<{ incidents: unknown[] }>('{ incidents { id } }', undefined, OFFICER)).data?.incidents.length ?? 0;
    const incidentsBefore = await countIncidents();
    const [offHours] = (await page({ kind: 'OFF_HOURS' })).nodes;
    const appropriate = await system.query<{ closeReviewItem: Item }>(CLOSE, { id: offHours?.id, outcome: 'APPROPRIATE', note: 'On call that night.' }, OFFICER);
    expect(appropriate.data?.closeReviewItem).toMatchObject({ status: 'CLOSED', outcome: 'APPROPRIATE', incidentId: null });
    expect(await countIncidents()).toBe(incidentsBefore);
    const [own] = (await page({ kind: 'OWN_RECORD' })).nodes;
    const misuse = await system.query<{ closeReviewItem: Item }>(CLOSE, { id: own?.id, outcome: 'MISUSE' }, OFFICER);
    expect(misuse.data?.closeReviewItem.incidentId).toMatch(/^inc-/);
    const kinds = (await system.query<{ incidents: { id: string; kind: string }[] }>('{ incidents { id kind } }', undefined, OFFICER)).data?.incidents ?? [];
    expect(kinds.find((i) => i.id === misuse.data?.closeReviewItem.incidentId)?.kind).toBe('REVIEW_MISUSE');
    // Filters: closed items only.
    expect((await page({ status: 'CLOSED' })).nodes.map((i) => i.kind).sort()).toEqual(['EMERGENCY_ACCESS', 'OFF_HOURS', 'OWN_RECORD']);
    expect((await page({ status: 'OPEN', kind: 'OWN_RECORD' })).nodes).toHaveLength(1);
  });

  it('pages the queue with a cursor, in a fixed number of statements whatever the page size', async () => {
    const all = await page();
    const first = await page({ first: 3 });
    expect(first).toMatchObject({ totalCount: all.totalCount, hasNextPage: true });
    const second = await page({ first: 3, after: first.endCursor });
    expect([...first.nodes, ...second.nodes].map((i) => i.id)).toEqual(all.nodes.slice(0, 6).map((i) => i.id));
    const statements = () => system.gateway.auditStore.db.statements.total;
    const a = statements();
    await page({ first: 2 });
    const small = statements() - a;
    const b = statements();
    await page({ first: 50 });
    expect(statements() - b).toBe(small);
  });

  it('is for the privacy officer only, and answers bad input with a clear 4xx', async () => {
    for (const who of ['dr.tremblay', 'reception.roy', 'patient.roy']) {
      expectDecision(await system.query(ITEMS, { first: 5 }, { as: who }), ['reviewItems'], 'ROLE');
      expectDecision(await system.query(CLOSE, { id: 'rev-x', outcome: 'APPROPRIATE' }, { as: who }), ['closeReviewItem'], 'ROLE');
    }
    expect((await system.query(ITEMS, { first: 5 })).status).toBe(401);
    for (const variables of [{ status: 'PENDING' }, { kind: 'GOSSIP' }, { first: 0 }, { after: 'not-a-cursor' }]) {
      const res = await system.query(ITEMS, variables, OFFICER);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const unknown = await system.query(CLOSE, { id: 'rev-nothing', outcome: 'MISUSE' }, OFFICER);
    expect(unknown.errors?.[0]).toMatchObject({ message: 'No review item with id "rev-nothing"', extensions: { code: 'BAD_USER_INPUT' } });
    const badOutcome = await system.query(CLOSE, { id: 'rev-nothing', outcome: 'FINE' }, OFFICER);
    expect(badOutcome.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads a batch of the log in a fixed number of statements and one facts call per subgraph, whatever the number of reads', async () => {
    const scanCost = async (reads: [string, string][]) => {
      for (const [who, id] of reads) await system.query(`{ patient(id: "${id}") { phone } }`, undefined, { as: who });
      const calls = system.gateway.policyLookups();
      const statements = system.gateway.auditStore.db.statements.total;
      await system.gateway.watch.scan();
      return { calls: system.gateway.policyLookups() - calls, statements: system.gateway.auditStore.db.statements.total - statements };
    };
    const one = await scanCost([['dr.tremblay', 'p-ouellet']]);
    const many = await scanCost([
      ['dr.tremblay', 'p-lefebvre'],
      ['dr.tremblay', 'p-caron'],
      ['nurse.gagnon', 'p-caron'],
      ['dr.nguyen', 'p-bergeron'],
      ['reception.roy', 'p-dion'],
    ]);
    expect(one.calls).toBe(2);
    expect(many).toEqual(one);
  });

  it('never blocks: with the patient subgraph down the queue answers as it stands, and the watch catches up once it is back', async () => {
    const before = (await page()).totalCount;
    advance(60);
    // Outside opening hours would be a case: read at 22:00 today.
    now = new ClinicCalendar(start).instantAtTime(0, '22:00');
    await system.query('{ patient(id: "p-lefebvre") { allergies } }', undefined, { as: 'dr.tremblay' });
    await system.stopSubgraph('patient');
    try {
      const res = await system.query<{ reviewItems: Page }>(ITEMS, { first: 100 }, OFFICER);
      expect(res.errors).toBeUndefined();
      expect(res.data?.reviewItems.totalCount).toBe(before);
    } finally {
      await system.restartSubgraph('patient');
    }
    const after = await page({ kind: 'OFF_HOURS', status: 'OPEN' });
    expect(after.nodes.filter((i) => i.actorId === 'e-tremblay').map((i) => i.patientIds)).toEqual([['p-lefebvre']]);
    expect((await page()).totalCount).toBe(before + 1);
  });
});
