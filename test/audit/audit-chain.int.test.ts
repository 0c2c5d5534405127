import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '@clinic/gateway';
import { chainHash, GENESIS_HASH } from '../../gateway/src/audit-store/chain-hash.js';
import { AuditEvent } from '../../gateway/src/audit-store/entities.js';
import { Patient } from '../../services/patient/src/entities.js';
import { testBackends } from '../support/backends.js';
import { RECEPTIONIST } from '../support/callers.js';
import { startClinicSystem, type Caller, type ClinicSystem, type GraphQLResponse } from '../support/clinic-system.js';
import {
  auditSql,
  chainHead,
  deleteStoredEvent,
  queryThrough,
  refuseAuditInserts,
  runAuditVerify,
  storedEvents,
  storedValue,
  verifyThroughApi,
  type StoredEvent,
} from '../support/audit-helpers.js';
import { personalValuesIn } from '../support/graphql-errors.js';

/**
 * The audit log's hash chain (SPEC §8, issue 4): verification finds any altered, removed or
 * truncated event; writes fail closed; replicas share one chain; a request is one write transaction.
 */

const READ = 'query Read($id: ID!) { patient(id: $id) { lastName } }';
/** p-caron restricts his address from receptionists (r-2): reading it writes an ALLOW and a DENY event. */
const READ_WITH_ADDRESS = 'query ReadWithAddress($id: ID!) { patient(id: $id) { lastName address } }';
const PATIENTS = ['p-lefebvre', 'p-caron', 'p-ouellet', 'p-bergeron', 'p-dion'] as const;
const LAST_NAMES: Record<string, string> = { 'p-lefebvre': 'Lefebvre', 'p-caron': 'Caron', 'p-ouellet': 'Ouellet', 'p-bergeron': 'Bergeron', 'p-dion': 'Dion' };

/** Every link of the stored chain: seqs 1..N without gaps, each prev_hash the hash of the row before. */
function expectLinkedChain(events: StoredEvent[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, index) => index + 1));
  events.forEach((event, index) => {
    expect(event.prevHash, `prev_hash of seq ${event.seq}`).toBe(index === 0 ? GENESIS_HASH : events[index - 1]?.hash);
  });
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
}

/**
 * The wall clock, but never the same millisecond twice. Concurrent requests of one user would
 * otherwise send byte-identical signed policy look-ups (same viewer, same instant), which the
 * subgraphs refuse as replays (a request-signing defect reported separately, not what this suite is about).
 */
function distinctInstants(): () => Date {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last);
  };
}

describe.each(testBackends())('the audit chain on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const store = () => system.gateway.auditStore;
  const intact = (events: number) => ({ ok: true, events, firstBrokenEventId: null });
  /** The chain as both the GraphQL API and the AuditLog see it: they must agree. */
  const verified = async () => {
    const [api, direct] = [await verifyThroughApi(system), await store().auditLog.verify()];
    expect(direct).toEqual(api);
    return api;
  };
  /** The six events written by the first test, in chain order. */
  let written: StoredEvent[] = [];
  const eventAt = (seq: number) => {
    const event = written[seq - 1];
    if (!event) throw new Error(`no event ${seq}: the first test did not run`);
    return event;
  };

  it('starts empty and intact, and after a few reads reports ok with exactly the events they wrote', async () => {
    expect(await verified()).toEqual(intact(0));
    expect(await chainHead(store())).toEqual({ lastSeq: 0, lastHash: GENESIS_HASH });

    const reads = [
      await system.query(READ, { id: 'p-lefebvre' }, RECEPTIONIST),
      await system.query(READ, { id: 'p-ouellet' }, RECEPTIONIST),
      await system.query(READ_WITH_ADDRESS, { id: 'p-caron' }, RECEPTIONIST),
      await system.query(READ_WITH_ADDRESS, { id: 'p-bergeron' }, RECEPTIONIST),
      await system.query(READ, { id: 'p-dion' }, RECEPTIONIST),
    ];
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(reads.map((r) => (r.data as { patient: { lastName: string } }).patient.lastName)).toEqual(['Lefebvre', 'Ouellet', 'Caron', 'Bergeron', 'Dion']);
    expect(reads[2]?.errors?.map((e) => [e.path, e.extensions?.reason])).toEqual([[['patient', 'address'], 'RESTRICTED']]);
    // Requests that touch no patient write nothing.
    expect((await system.query('{ me { id } }', undefined, RECEPTIONIST)).data).toEqual({ me: { id: 'e-roy' } });

    expect(await verified()).toEqual(intact(6));
    written = await storedEvents(store());
    expect(written.map((e) => [e.seq, e.patientIds, e.decision, e.reason])).toEqual([
      [1, ['p-lefebvre'], 'ALLOW', null],
      [2, ['p-ouellet'], 'ALLOW', null],
      [3, ['p-caron'], 'ALLOW', null],
      [4, ['p-caron'], 'DENY', 'RESTRICTED'],
      [5, ['p-bergeron'], 'ALLOW', null],
      [6, ['p-dion'], 'ALLOW', null],
    ]);
    expectLinkedChain(written);
    expect(await chainHead(store())).toEqual({ lastSeq: 6, lastHash: eventAt(6).hash });
  });

  it.each<[string, (original: unknown) => unknown]>([
    ['fields', () => '["Patient.lastName"]'],
    ['decision', () => 'ALLOW'],
    ['actor_id', () => 'e-fortin'],
    // The one-patient column of events written before events named many patients: a new event has none.
    ['patient_id', () => 'p-dion'],
    ['format', () => 1],
    ['client_request_id', () => 'forged-client-request'],
    // Format 3: the version of the rules that decided, and a search's filters.
    ['rules_version', () => 'sha256:forged'],
    ['filters', () => '{"kind":"search"}'],
    ['reason', () => null],
    // Backdated by one hour (SQLite stores epoch milliseconds, PostgreSQL a timestamp).
    ['at', (original) => new Date(new Date(original as string | number).getTime() - 3_600_000)],
  ])('reports an event whose %s column was changed directly in the database as the first broken link, and is intact again once restored', async (column, forge) => {
    // Event 4 is p-caron's DENY (fields Patient.address, reason RESTRICTED): every forged value differs from it.
    const original = await storedValue(store(), 4, column);
    const forged = forge(original);
    expect(original).not.toEqual(forged);
    await auditSql(store(), `update audit_event set ${column} = ? where seq = 4`, [forged]);
    try {
      expect(await verified()).toEqual({ ok: false, events: 4, firstBrokenEventId: eventAt(4).id });
    } finally {
      await auditSql(store(), `update audit_event set ${column} = ? where seq = 4`, [original]);
    }
    expect(await verified()).toEqual(intact(6));
  });

  it('reports an event rewritten together with a recomputed hash at the next event, whose link no longer matches', async () => {
    const event = await store().db.fork().findOneOrFail(AuditEvent, { seq: 4 });
    const forgedHash = chainHash({ ...event, patientIds: ['p-caron'], decision: 'ALLOW', reason: null });
    await auditSql(store(), "update audit_event set decision = 'ALLOW', reason = null, hash = ? where seq = 4", [forgedHash]);
    try {
      expect(await verified()).toEqual({ ok: false, events: 5, firstBrokenEventId: eventAt(5).id });
    } finally {
      await auditSql(store(), "update audit_event set decision = 'DENY', reason = 'RESTRICTED', hash = ? where seq = 4", [eventAt(4).hash]);
    }
    expect(await verified()).toEqual(intact(6));
  });

  it.each<[string, string, string]>([
    ['replaced', "update audit_field_lookup set field = 'Patient.lastName' where event_seq = 4", "update audit_field_lookup set field = 'Patient.address' where event_seq = 4"],
    ['added', "insert into audit_field_lookup (field, event_seq) values ('Patient.phone', 4)", "delete from audit_field_lookup where event_seq = 4 and field = 'Patient.phone'"],
    ['removed', 'delete from audit_field_lookup where event_seq = 4', "insert into audit_field_lookup (field, event_seq) values ('Patient.address', 4)"],
  ])('reports an event whose field was %s in the field index (searches by field) as the first broken link', async (_how, forge, restore) => {
    // The index is filled in batches: index the six events first, so that there are rows to change.
    await store().auditLog.indexLookups();
    expect(await auditSql(store(), "select field from audit_field_lookup where event_seq = 4")).toEqual([{ field: 'Patient.address' }]);
    await auditSql(store(), forge);
    try {
      expect(await verified()).toEqual({ ok: false, events: 4, firstBrokenEventId: eventAt(4).id });
    } finally {
      await auditSql(store(), restore);
    }
    expect(await verified()).toEqual(intact(6));
  });

  it.each<[string, string]>([
    ['replaced', '["p-dion"]'],
    ['added', '["p-caron", "p-dion"]'],
    ['removed', '[]'],
    ['made no list', '{"p-caron": true}'],
  ])('reports an event whose list of patients was %s as the first broken link, and is intact again once restored', async (_how, forged) => {
    const [original] = await auditSql<{ patient_ids: unknown }>(store(), 'select patient_ids from audit_event where seq = 4');
    const stored = typeof original?.patient_ids === 'string' ? original.patient_ids : JSON.stringify(original?.patient_ids);
    expect(JSON.parse(stored)).toEqual(['p-caron']);
    await auditSql(store(), `update audit_event set patient_ids = '${forged}' where seq = 4`);
    try {
      expect(await verified()).toEqual({ ok: false, events: 4, firstBrokenEventId: eventAt(4).id });
    } finally {
      await auditSql(store(), `update audit_event set patient_ids = '${stored}' where seq = 4`);
    }
    expect(await verified()).toEqual(intact(6));
  });

  it('reports a deleted middle event at the event that followed it', async () => {
    const restore = await deleteStoredEvent(store(), 3);
    try {
      expect((await storedEvents(store())).map((e) => e.seq)).toEqual([1, 2, 4, 5, 6]);
      expect(await verified()).toEqual({ ok: false, events: 3, firstBrokenEventId: eventAt(4).id });
    } finally {
      await restore();
    }
    expect(await verified()).toEqual(intact(6));
  });

  it('reports a deleted last event, which the chain head still remembers', async () => {
    const restore = await deleteStoredEvent(store(), 6);
    try {
      expect((await storedEvents(store())).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(await chainHead(store())).toEqual({ lastSeq: 6, lastHash: eventAt(6).hash });
      expect(await verified()).toEqual({ ok: false, events: 5, firstBrokenEventId: 'after-seq-5' });
    } finally {
      await restore();
    }
    expect(await verified()).toEqual(intact(6));
  });

  it('is verified by npm run audit:verify, which exits 0 on the intact chain and prints the broken event and exits 1 on a tampered one', async () => {
    const ok = await runAuditVerify(system.auditTarget);
    expect(ok, ok.stderr).toMatchObject({ code: 0, stdout: 'audit:verify: the chain of 6 events is intact\n' });

    await auditSql(store(), "update audit_event set actor_id = 'e-fortin' where seq = 2");
    try {
      const broken = await runAuditVerify(system.auditTarget);
      expect(broken, broken.stderr).toMatchObject({ code: 1, stdout: `audit:verify: BROKEN at event ${eventAt(2).id} (event 2 of the chain)\n` });
    } finally {
      await auditSql(store(), "update audit_event set actor_id = 'e-roy' where seq = 2");
    }

    const restore = await deleteStoredEvent(store(), 6);
    try {
      const truncated = await runAuditVerify(system.auditTarget);
      expect(truncated, truncated.stderr).toMatchObject({ code: 1, stdout: 'audit:verify: BROKEN at event after-seq-5 (event 5 of the chain)\n' });
    } finally {
      await restore();
    }
    const again = await runAuditVerify(system.auditTarget);
    expect(again, again.stderr).toMatchObject({ code: 0, stdout: 'audit:verify: the chain of 6 events is intact\n' });
  }, 90_000);
});

describe.each(testBackends())('audit writes of two gateway replicas on %s', (backend) => {
  const BATCH = 50;
  const batchId = (i: number) => `p-auditbatch-${String(i).padStart(3, '0')}`;
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: distinctInstants() });
    const em = system.subgraphs.patient.db.fork();
    for (let i = 0; i < BATCH; i += 1) {
      em.create(Patient, { id: batchId(i), firstName: `Batch${i}`, lastName: 'Auditbatch', appointmentReminders: false, newsletter: false });
    }
    await em.flush();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const store = () => system.gateway.auditStore;
  const eventCount = async () => (await storedEvents(store())).length;

  /** The response of a request the audit store could not record: no data, one clear error, no personal value anywhere. */
  const expectWithheld = (res: GraphQLResponse<unknown>) => {
    expect(res.status, JSON.stringify(res)).toBe(503);
    expect(res).not.toHaveProperty('data');
    expect(res.errors).toEqual([{ message: 'The audit log cannot be written: patient information is not served', extensions: { code: 'AUDIT_UNAVAILABLE' } }]);
    expect(personalValuesIn(JSON.stringify(res))).toEqual([]);
  };

  describe('with a replica whose audit store is down', () => {
    let downReplica: RunningGateway;
    beforeAll(async () => {
      downReplica = await system.startReplica();
      await downReplica.auditStore.close();
    });

    it('serves no patient information through that replica: 503, no data, one AUDIT_UNAVAILABLE error quoting no personal value', async () => {
      const eventsBefore = await eventCount();
      // [query, variables, caller, what the healthy gateway serves, events it writes, patients they name]
      const reads: [string, Record<string, unknown>, Caller, string, number, number][] = [
        ['query Contact($id: ID!) { patient(id: $id) { firstName lastName dateOfBirth phone email address } }', { id: 'p-lefebvre' }, RECEPTIONIST, '"lastName":"Lefebvre"', 1, 1],
        [READ_WITH_ADDRESS, { id: 'p-caron' }, RECEPTIONIST, '"lastName":"Caron"', 2, 2],
        // Five patients with the same decision on the same fields: one event naming all five.
        ['query List { patients(first: 5) { nodes { id lastName phone } } }', {}, RECEPTIONIST, '"lastName":"Auditbatch"', 1, 5],
        ['query Chart($id: ID!) { patient(id: $id) { lastName allergies medications { name dosage } } }', { id: 'p-lefebvre' }, { as: 'dr.tremblay', mfa: true }, '"allergies":[', 1, 1],
      ];
      for (const [query, variables, caller, servedText, events, patientsNamed] of reads) {
        const before = await eventCount();
        expectWithheld(await queryThrough(system, downReplica, query, variables, caller));
        expect(await eventCount()).toBe(before);
        // The healthy gateway serves the very same read, and records it.
        const served = await system.query(query, variables, caller);
        expect(served.status).toBe(200);
        expect(JSON.stringify(served.data)).toContain(servedText);
        const fresh = (await storedEvents(store())).slice(before);
        expect(fresh).toHaveLength(events);
        expect(fresh.flatMap((e) => e.patientIds)).toHaveLength(patientsNamed);
      }
      // Only the healthy gateway's reads were recorded (4 reads of 1, 2, 1 and 1 events), and the chain is intact.
      expect(await eventCount()).toBe(eventsBefore + 5);
      expect(await verifyThroughApi(system)).toEqual({ ok: true, events: eventsBefore + 5, firstBrokenEventId: null });
    });

    it('still answers requests that touch no patient through that replica, writing no event for them', async () => {
      const eventsBefore = await eventCount();
      const transactionsBefore = downReplica.auditStore.auditLog.writeTransactions;
      const me = await queryThrough(system, downReplica, '{ me { id } }', undefined, RECEPTIONIST);
      expect(me).toEqual({ status: 200, data: { me: { id: 'e-roy' } } });
      const colleague = await queryThrough(system, downReplica, '{ employee(id: "e-roy") { lastName } }', undefined, RECEPTIONIST);
      expect(colleague).toEqual({ status: 200, data: { employee: { lastName: 'Roy' } } });
      expect(downReplica.auditStore.auditLog.writeTransactions).toBe(transactionsBefore);
      expect(await eventCount()).toBe(eventsBefore);
    });
  });

  it('withholds patient information while the audit store refuses new events, leaves no partial write, and resumes the same chain afterwards', async () => {
    const headBefore = await chainHead(store());
    const lift = await refuseAuditInserts(store());
    try {
      expectWithheld(await system.query(READ, { id: 'p-ouellet' }, RECEPTIONIST));
      expectWithheld(await system.query(READ_WITH_ADDRESS, { id: 'p-caron' }, RECEPTIONIST));
      // The failed appends rolled back whole: the head did not move, no event was stored.
      expect(await chainHead(store())).toEqual(headBefore);
      expect(await eventCount()).toBe(headBefore.lastSeq);
    } finally {
      await lift();
    }
    const served = await system.query(READ, { id: 'p-ouellet' }, RECEPTIONIST);
    expect(served).toEqual({ status: 200, data: { patient: { lastName: 'Ouellet' } } });
    const events = await storedEvents(store());
    expect(events.at(-1)).toMatchObject({ seq: headBefore.lastSeq + 1, prevHash: headBefore.lastHash, patientIds: ['p-ouellet'], decision: 'ALLOW' });
    expect(await verifyThroughApi(system)).toEqual({ ok: true, events: headBefore.lastSeq + 1, firstBrokenEventId: null });
  });

  it('keeps one valid chain when two replicas append at the same time', async () => {
    const replica = await system.startReplica();
    const gateways = [system.gateway, replica];
    const before = await verifyThroughApi(system);
    expect(before.ok).toBe(true);
    const transactionsBefore = gateways.map((g) => g.auditStore.auditLog.writeTransactions);

    const REQUESTS = 48;
    const plan = Array.from({ length: REQUESTS }, (_, i) => ({ gateway: gateways[i % 2] as RunningGateway, patientId: PATIENTS[i % PATIENTS.length] as string }));
    const responses = await Promise.all(
      plan.map(({ gateway, patientId }) => queryThrough<{ patient: { lastName: string } }>(system, gateway, READ_WITH_ADDRESS, { id: patientId }, RECEPTIONIST)),
    );
    responses.forEach((res, i) => {
      expect(res.status, JSON.stringify(res)).toBe(200);
      expect(res.data?.patient.lastName).toBe(LAST_NAMES[plan[i]?.patientId as string]);
    });
    // One ALLOW event per read, plus one DENY event for each read of p-caron's restricted address.
    const carons = plan.filter((p) => p.patientId === 'p-caron').length;
    expect(carons).toBe(10);
    const expected = before.events + REQUESTS + carons;

    expect(await verifyThroughApi(system)).toEqual({ ok: true, events: expected, firstBrokenEventId: null });
    expect(await replica.auditStore.auditLog.verify()).toEqual({ ok: true, events: expected, firstBrokenEventId: null });
    // Group commit: a replica's concurrent requests share transactions, never split one request's events.
    for (const [i, g] of gateways.entries()) {
      const transactions = g.auditStore.auditLog.writeTransactions - (transactionsBefore[i] as number);
      expect(transactions).toBeGreaterThan(0);
      expect(transactions).toBeLessThanOrEqual(REQUESTS / 2);
    }

    const events = await storedEvents(store());
    expect(events).toHaveLength(expected);
    expectLinkedChain(events);
    expect(await chainHead(store())).toEqual({ lastSeq: expected, lastHash: events.at(-1)?.hash });
    // Each request's events were appended in one transaction: they sit next to each other in the chain.
    const fresh = events.slice(before.events);
    const byRequest = new Map<string | null, StoredEvent[]>();
    for (const event of fresh) byRequest.set(event.requestId, [...(byRequest.get(event.requestId) ?? []), event]);
    expect(byRequest.size).toBe(REQUESTS);
    for (const [requestId, group] of byRequest) {
      const seqs = group.map((e) => e.seq);
      expect(seqs, `events of request ${requestId}`).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
      expect(group.map((e) => e.decision)).toEqual(group[0]?.patientIds[0] === 'p-caron' ? ['ALLOW', 'DENY'] : ['ALLOW']);
    }
  }, 60_000);

  it(`writes a ${BATCH}-patient response in one audit write transaction, as one event naming every patient`, async () => {
    const transactionsBefore = store().auditLog.writeTransactions;
    const eventsBefore = await eventCount();
    const res = await system.query<{ patients: { nodes: { id: string; lastName: string }[] } }>(
      'query Batch($first: Int!) { patients(search: "Auditbatch", first: $first) { nodes { id lastName } } }',
      { first: BATCH },
      RECEPTIONIST,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.patients.nodes).toHaveLength(BATCH);
    expect(store().auditLog.writeTransactions - transactionsBefore).toBe(1);

    // Every patient got the same decision on the same fields: one event, one hash, every patient named.
    const fresh = (await storedEvents(store())).slice(eventsBefore);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.patientIds).toEqual(Array.from({ length: BATCH }, (_, i) => batchId(i)));
    expect(fresh[0]).toMatchObject({ actorId: 'e-roy', decision: 'ALLOW', reason: null });
    expect(await verifyThroughApi(system)).toEqual({ ok: true, events: eventsBefore + 1, firstBrokenEventId: null });
    // Each patient's own look-up finds that event.
    for (const id of [batchId(0), batchId(BATCH - 1)]) {
      expect(await store().auditLog.list({ patientId: id, first: 1 })).toMatchObject([{ id: fresh[0]?.id, patientId: id, decision: 'ALLOW', requestId: fresh[0]?.requestId }]);
    }
  });
});
