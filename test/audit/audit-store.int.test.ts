import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore, type AuditStore } from '@clinic/gateway';
import { Database, type DatabaseTarget } from '@clinic/service-kit';
import type { AuditEntry } from '../../gateway/src/audit-store/audit-log.js';
import { chainHash, EVENT_FORMAT, GENESIS_HASH } from '../../gateway/src/audit-store/chain-hash.js';
import { auditStoreEntities } from '../../gateway/src/audit-store/entities.js';
import { auditStoreMigrations } from '../../gateway/src/audit-store/migrations/index.js';
import { RepeatedDenialDetector } from '../../gateway/src/audit-store/repeated-denials.js';
import { IncidentHistory } from '../../gateway/src/audit-store/incident-register.js';
import { INDEX_EVERY_EVENTS } from '../../gateway/src/audit-store/event-lookups.js';
import { testBackends } from '../support/backends.js';
import { auditSql, freshAuditTarget, storedEvents } from '../support/audit-helpers.js';

/**
 * The audit store on its own (issue 11): one event per request and decision group naming every
 * patient, appended with the same statements whatever the number of patients, found by patient
 * with one indexed look-up; a store written one event per patient migrates and keeps verifying;
 * repeated refusals open exactly one incident, even from two replicas at once.
 */

const patients = (n: number, prefix = 'p-many') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

function entry(patientIds: string[], decision: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actorId: 'e-roy',
    role: 'RECEPTIONIST',
    decision: 'ALLOW',
    reason: null,
    fields: ['Patient.lastName', 'Query.patients'],
    emergencyAccessId: null,
    patientIds,
    operationName: 'List',
    clientName: 'desk',
    requestId: 'req-1',
    ...decision,
  };
}

const refusal = (actorId: string, patientIds: string[]) => entry(patientIds, { actorId, role: 'PHYSICIAN', decision: 'DENY', reason: 'NO_DUTY', fields: ['Patient.phone'] });

describe.each(testBackends())('the audit store on %s', (backend) => {
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  const opened: AuditStore[] = [];
  const open = async () => {
    const store = await openAuditStore({ target });
    opened.push(store);
    return store;
  };
  beforeEach(async () => {
    ({ target, drop } = await freshAuditTarget(backend));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await drop();
  });

  it('appends a request as one event per decision group in one transaction, with the same statements for 10, 100 or 500 patients', async () => {
    const store = await open();
    const statements: number[] = [];
    let events = 0;
    for (const n of [10, 100, 500]) {
      const before = { statements: store.db.statements.total, transactions: store.auditLog.writeTransactions };
      const allowed = patients(n, `p-n${n}`);
      await store.auditLog.append([entry(allowed), entry(allowed.slice(0, 3), { decision: 'DENY', reason: 'RESTRICTED', fields: ['Patient.address'] })], new Date());
      expect(store.auditLog.writeTransactions - before.transactions).toBe(1);
      statements.push(store.db.statements.total - before.statements);
      events += 2;
      const stored = (await storedEvents(store)).slice(-2);
      expect(stored.map((e) => [e.decision, e.patientIds.length])).toEqual([
        ['ALLOW', n],
        ['DENY', 3],
      ]);
    }
    expect(new Set(statements).size).toBe(1);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events, firstBrokenEventId: null });
  });

  it("finds a patient's events with one statement on the patient index, one row per event and patient", async () => {
    const store = await open();
    await store.auditLog.append([entry(['p-a', 'p-b', 'p-c'], { requestId: 'req-1' })], new Date('2026-11-30T10:00:00Z'));
    await store.auditLog.append([entry(['p-b'], { requestId: 'req-2', actorId: 'p-b', role: 'PATIENT' })], new Date('2026-11-30T10:01:00Z'));
    await store.auditLog.append([entry(['p-c', 'p-b'], { requestId: 'req-3', decision: 'DENY', reason: 'ROLE' })], new Date('2026-11-30T10:02:00Z'));

    const before = store.db.statements.total;
    const ofB = await store.auditLog.list({ patientId: 'p-b', first: 10 });
    expect(store.db.statements.total - before).toBe(1);
    expect(ofB.map((e) => [e.requestId, e.patientId, e.decision])).toEqual([
      ['req-3', 'p-b', 'DENY'],
      ['req-2', 'p-b', 'ALLOW'],
      ['req-1', 'p-b', 'ALLOW'],
    ]);
    expect(await store.auditLog.list({ patientId: 'p-b', actorId: 'e-roy', first: 1 })).toMatchObject([{ requestId: 'req-3', patientId: 'p-b' }]);
    // Without a patient, an event reads as one row per patient it names.
    expect((await store.auditLog.list({ first: 10 })).map((e) => [e.requestId, e.patientId])).toEqual([
      ['req-3', 'p-b'],
      ['req-3', 'p-c'],
      ['req-2', 'p-b'],
      ['req-1', 'p-a'],
      ['req-1', 'p-b'],
      ['req-1', 'p-c'],
    ]);

    const staffBefore = store.db.statements.total;
    const staff = await store.auditLog.staffReadsOf(['p-a', 'p-b']);
    expect(store.db.statements.total - staffBefore).toBe(1);
    expect(staff.map((e) => [e.patientId, e.at.toISOString()]).sort()).toEqual([
      ['p-a', '2026-11-30T10:00:00.000Z'],
      ['p-b', '2026-11-30T10:00:00.000Z'],
    ]);

    // The index by patient is the key of the lookup's postings (event-lookups.ts); the events after its mark are read by event.
    const indexes =
      backend === 'sqlite'
        ? await auditSql<{ def: string }>(store, "select sql as def from sqlite_master where tbl_name = 'audit_patient_posting' and sql is not null")
        : await auditSql<{ def: string }>(store, "select indexdef as def from pg_indexes where tablename = 'audit_patient_posting'");
    expect(indexes.map((i) => i.def.replaceAll(/["`]/g, '')).join('\n')).toMatch(/\(patient_id, last_seq\)/);
  });

  it("finds a patient's events alike before and after the lookup indexed them, indexes in batches on its own, and breaks an event whose lookup rows are changed", async () => {
    const store = await open();
    const progress = async () => Number((await auditSql<{ upto: number | string }>(store, 'select patients_indexed_upto as upto from audit_chain_head where id = 1'))[0]?.upto);
    const ofB = async () => (await store.auditLog.list({ patientId: 'p-b', first: 10 })).map((e) => e.requestId);
    await store.auditLog.append([entry(['p-a', 'p-b'], { requestId: 'req-1' })], new Date('2026-11-30T10:00:00Z'));
    await store.auditLog.append([entry(['p-c'], { requestId: 'req-2' })], new Date('2026-11-30T10:01:00Z'));
    await store.auditLog.append([entry(['p-b', 'p-c'], { requestId: 'req-3' })], new Date('2026-11-30T10:02:00Z'));
    // Nothing indexed yet: found from the append's own rows.
    expect(await progress()).toBe(0);
    expect(await ofB()).toEqual(['req-3', 'req-1']);
    await store.auditLog.indexLookups();
    expect(await progress()).toBe(3);
    expect(await ofB()).toEqual(['req-3', 'req-1']);
    // One indexed, one not: each found once.
    await store.auditLog.append([entry(['p-b'], { requestId: 'req-4' })], new Date('2026-11-30T10:03:00Z'));
    expect(await ofB()).toEqual(['req-4', 'req-3', 'req-1']);
    expect((await store.auditLog.staffReadsOf(['p-b', 'p-c'])).map((e) => `${e.requestId} ${e.patientId}`).sort()).toEqual(['req-1 p-b', 'req-2 p-c', 'req-3 p-b', 'req-3 p-c', 'req-4 p-b']);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4, firstBrokenEventId: null });

    // A lookup row added, removed or beyond the mark misdirects a patient's access log: the event is broken.
    const [first, second] = (await storedEvents(store)).map((e) => e.id);
    for (const [forge, restore, broken] of [
      ["insert into audit_patient_posting (patient_id, last_seq, event_seqs) values ('p-z', 1, '[1]')", "delete from audit_patient_posting where patient_id = 'p-z'", first],
      ["update audit_patient_posting set event_seqs = '[3]' where patient_id = 'p-c'", "update audit_patient_posting set event_seqs = '[2,3]' where patient_id = 'p-c'", second],
      ["update audit_patient_posting set event_seqs = '{\"seq\": 1}' where patient_id = 'p-a'", "update audit_patient_posting set event_seqs = '[1]' where patient_id = 'p-a'", first],
      ["insert into audit_patient_posting (patient_id, last_seq, event_seqs) values ('p-z', 4, '[4]')", "delete from audit_patient_posting where patient_id = 'p-z'", 'event-4'],
    ] as const) {
      await auditSql(store, forge);
      const status = await store.auditLog.verify();
      expect(status.ok).toBe(false);
      expect(status.firstBrokenEventId).toBe(broken === 'event-4' ? (await storedEvents(store))[3]?.id : broken);
      await auditSql(store, restore);
    }
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4, firstBrokenEventId: null });

    // The writer indexes on its own every INDEX_EVERY_EVENTS events, after their appends.
    const more = INDEX_EVERY_EVENTS + 8;
    for (let i = 0; i < more; i += 1) await store.auditLog.append([entry([`p-n${i}`], { requestId: `req-n${i}` })], new Date('2026-11-30T11:00:00Z'));
    for (let tries = 0; tries < 100 && (await progress()) < INDEX_EVERY_EVENTS; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await progress()).toBeGreaterThanOrEqual(INDEX_EVERY_EVENTS);
    expect((await store.auditLog.list({ patientId: `p-n${more - 1}`, first: 10 })).map((e) => e.requestId)).toEqual([`req-n${more - 1}`]);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4 + more, firstBrokenEventId: null });
  });

  it("verifies an intact chain while another replica's lookup batch moves the mark during the check", async () => {
    const store = await open();
    for (let i = 0; i < 3; i += 1) await store.auditLog.append([entry(['p-a', `p-m${i}`], { requestId: `req-m${i}` })], new Date('2026-11-30T10:00:00Z'));
    // The batch commits right after the check has read the chain head, as another replica's can.
    const connectionClass = Object.getPrototypeOf(store.db.fork().getConnection('read')) as { execute: (...args: unknown[]) => Promise<unknown> };
    const own = Object.hasOwn(connectionClass, 'execute');
    const execute = connectionClass.execute;
    let batches = 0;
    connectionClass.execute = async function (this: unknown, ...args: unknown[]) {
      const result = await execute.apply(this, args);
      if (batches === 0 && typeof args[0] === 'string' && args[0].includes('from audit_chain_head')) {
        batches += 1;
        await store.auditLog.indexLookups();
      }
      return result;
    };
    try {
      expect(await store.auditLog.verify()).toEqual({ ok: true, events: 3, firstBrokenEventId: null });
    } finally {
      if (own) connectionClass.execute = execute;
      else delete (connectionClass as Partial<typeof connectionClass>).execute;
    }
    expect(batches).toBe(1);
    expect(Number((await auditSql<{ upto: number | string }>(store, 'select patients_indexed_upto as upto from audit_chain_head where id = 1'))[0]?.upto)).toBe(3);
  });

  it('searches by field, time range and decision with one statement on their indexes, and pages by position without losing or repeating a row', async () => {
    const store = await open();
    await store.auditLog.append([entry(['p-a', 'p-b', 'p-c'], { requestId: 'req-1', fields: ['Patient.lastName', 'Patient.phone'] })], new Date('2026-11-30T10:00:00Z'));
    await store.auditLog.append([entry(['p-b'], { requestId: 'req-2', decision: 'DENY', reason: 'RESTRICTED', fields: ['Patient.address'] })], new Date('2026-11-30T11:00:00Z'));
    await store.auditLog.append([entry(['p-c', 'p-d'], { requestId: 'req-3', fields: ['Patient.phone'] })], new Date('2026-11-30T12:00:00Z'));

    const before = store.db.statements.total;
    const phone = await store.auditLog.list({ field: 'Patient.phone', from: new Date('2026-11-30T10:00:00Z'), to: new Date('2026-11-30T12:00:00Z'), decision: 'ALLOW', first: 10 });
    expect(store.db.statements.total - before).toBe(1);
    expect(phone.map((e) => [e.requestId, e.patientId])).toEqual([['req-1', 'p-a'], ['req-1', 'p-b'], ['req-1', 'p-c']]);
    expect((await store.auditLog.list({ reason: 'RESTRICTED', first: 10 })).map((e) => e.requestId)).toEqual(['req-2']);
    expect((await store.auditLog.list({ field: 'Patient.phone', patientId: 'p-c', first: 10 })).map((e) => e.requestId)).toEqual(['req-3', 'req-1']);

    // Pages of two rows, each after the last row of the one before, cut events naming several patients in the middle.
    const all = await store.auditLog.list({ first: 10 });
    const paged: typeof all = [];
    let after: { seq: number; patientId: string } | undefined;
    for (;;) {
      const page = await store.auditLog.list({ first: 2, after });
      paged.push(...page);
      const last = page.at(-1);
      if (page.length < 2 || !last) break;
      after = { seq: last.seq, patientId: last.patientId ?? '' };
    }
    expect(paged.map((e) => [e.requestId, e.patientId])).toEqual(all.map((e) => [e.requestId, e.patientId]));
    expect(all).toHaveLength(6);

    const indexes =
      backend === 'sqlite'
        ? await auditSql<{ def: string }>(store, "select sql as def from sqlite_master where tbl_name in ('audit_event', 'audit_field_lookup') and sql is not null")
        : await auditSql<{ def: string }>(store, "select indexdef as def from pg_indexes where tablename in ('audit_event', 'audit_field_lookup')");
    const defs = indexes.map((i) => i.def.replaceAll(/["`]/g, '')).join('\n');
    // The index by field is its lookup's key (event-lookups.ts); the events after its mark are read by event.
    expect(defs).toMatch(/audit_field_lookup.*\(field, event_seq\)/);
    expect(defs).toMatch(/audit_event.*\(at\)/);
    expect(defs).toMatch(/audit_event.*\(decision, reason\)/);
  });

  it('migrates a store written one event per patient: its events keep verifying, are found by patient, and the chain goes on', async () => {
    const at = new Date('2026-11-30T09:00:00Z');
    // The store as the gateway left it before events named many patients.
    const old = await Database.open({ service: 'audit', entities: auditStoreEntities, migrations: auditStoreMigrations.slice(0, 2), target });
    await old.migrate();
    const em = old.fork();
    const platform = em.getPlatform();
    let prevHash = GENESIS_HASH;
    const oldIds: string[] = [];
    for (const [seq, patientId] of [[1, 'p-a'], [2, 'p-b'], [3, 'p-a']] as const) {
      const content = { seq, id: `old-${seq}`, at, actorId: 'e-roy', role: 'RECEPTIONIST', patientIds: [patientId], fields: ['Patient.lastName'], decision: 'ALLOW', reason: null, prevHash };
      const hash = chainHash(content, EVENT_FORMAT.perPatient);
      await em
        .getConnection()
        .execute(
          'insert into audit_event (seq, id, at, actor_id, role, patient_id, fields, decision, reason, emergency_access_id, operation_name, client_name, request_id, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, null, null, null, null, null, ?, ?)',
          [seq, content.id, platform.processDateProperty(at), 'e-roy', 'RECEPTIONIST', patientId, JSON.stringify(content.fields), 'ALLOW', prevHash, hash],
        );
      oldIds.push(content.id);
      prevHash = hash;
    }
    await em.getConnection().execute('update audit_chain_head set last_seq = 3, last_hash = ? where id = 1', [prevHash]);
    // A repeated-refusal incident opened a minute before the upgrade.
    await em
      .getConnection()
      .execute(
        "insert into incident (id, kind, categories, status, actor_id, created_at) values ('inc-old', 'REPEATED_DENIALS', '[]', 'OPEN', 'e-snoop', ?)",
        [platform.processDateProperty(at)],
      );
    await old.close();

    const store = await open();
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 3, firstBrokenEventId: null });
    expect((await store.auditLog.list({ patientId: 'p-a', first: 10 })).map((e) => e.id)).toEqual(['old-3', 'old-1']);
    // Their fields were copied into the field index: a search by field finds them.
    expect((await store.auditLog.list({ field: 'Patient.lastName', first: 10 })).map((e) => e.id)).toEqual(['old-3', 'old-2', 'old-1']);

    await store.auditLog.append([entry(['p-b', 'p-a'], { requestId: 'req-new' })], new Date('2026-11-30T09:05:00Z'));
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4, firstBrokenEventId: null });
    expect((await store.auditLog.list({ patientId: 'p-a', first: 10 })).map((e) => e.requestId ?? e.id)).toEqual(['req-new', 'old-3', 'old-1']);
    expect((await store.auditLog.staffReadsOf(['p-b'])).map((e) => e.requestId ?? e.id)).toEqual(['req-new', 'old-2']);

    // An old event's patient is checked in its own column and in the index that finds it.
    for (const [forge, restore] of [
      ["update audit_event set patient_id = 'p-z' where seq = 2", "update audit_event set patient_id = 'p-b' where seq = 2"],
      ["update audit_event set patient_ids = '[\"p-z\"]' where seq = 2", "update audit_event set patient_ids = '[\"p-b\"]' where seq = 2"],
    ] as const) {
      await auditSql(store, forge);
      expect(await store.auditLog.verify()).toEqual({ ok: false, events: 2, firstBrokenEventId: oldIds[1] });
      await auditSql(store, restore);
    }
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4, firstBrokenEventId: null });

    // The incident opened before the upgrade still covers its window: five more refusals open no second one.
    await store.auditLog.append([refusal('e-snoop', patients(5, 'p-snooped'))], new Date('2026-11-30T09:06:00Z'));
    expect((await store.incidents.list()).filter((i) => i.actorId === 'e-snoop').map((i) => i.id)).toEqual(['inc-old']);
  });

  it('opens exactly one incident for 5 refusals (no duty) of one reader in 10 minutes, even when replicas append them at the same time', async () => {
    const replicas = [await open(), await open(), await open(), await open()];
    const [a, b] = replicas as [AuditStore, AuditStore];
    const t0 = new Date('2026-11-30T12:00:00Z').getTime();
    // Each replica's register waits for its own detection: read them all, then count.
    const countFor = async (actorId: string) => {
      await Promise.all(replicas.map((r) => r.incidents.list()));
      return (await a.incidents.list()).filter((i) => i.kind === 'REPEATED_DENIALS' && i.actorId === actorId).length;
    };
    const refusedThrough = (store: AuditStore, i: number, at: number) => store.auditLog.append([refusal('e-snoop', [`p-${i % 4}`])], new Date(at + i));

    // Four refusals, then one more through every replica at once: each replica's detector finds five or more, one opens.
    for (let i = 0; i < 4; i += 1) await refusedThrough(a, i, t0);
    expect(await countFor('e-snoop')).toBe(0);
    await Promise.all(replicas.map((r, i) => refusedThrough(r, 4 + i, t0)));
    expect(await countFor('e-snoop')).toBe(1);
    const [incident] = (await b.incidents.list()).filter((i) => i.actorId === 'e-snoop');
    expect(incident?.description).toMatch(/^\d+ refusals \(no duty\) of reader e-snoop within 10 minutes$/);
    // More refusals within the window open nothing more.
    await Promise.all(replicas.map((r, i) => refusedThrough(r, 8 + i, t0)));
    expect(await countFor('e-snoop')).toBe(1);

    // Refusals are counted per patient: one list read refused on 5 patients is 5 refusals.
    await a.auditLog.append([refusal('e-lister', patients(5, 'p-listed'))], new Date(t0));
    expect(await countFor('e-lister')).toBe(1);
    // Four are not enough, nor are refusals of another reason.
    await b.auditLog.append([refusal('e-few', patients(4, 'p-few')), entry(patients(3, 'p-role'), { actorId: 'e-few', decision: 'DENY', reason: 'ROLE' })], new Date(t0));
    expect(await countFor('e-few')).toBe(0);

    // Once the window has passed, five new refusals open a second incident, once.
    const later = t0 + 11 * 60_000;
    for (let i = 0; i < 4; i += 1) await refusedThrough(b, i, later);
    await Promise.all(replicas.map((r, i) => refusedThrough(r, 4 + i, later)));
    expect(await countFor('e-snoop')).toBe(2);
    expect(await storedEvents(a)).toHaveLength(12 + 1 + 2 + 8);
    expect(await a.auditLog.verify()).toEqual({ ok: true, events: 23, firstBrokenEventId: null });
  });

  it('lets one of many detectors that check the same reader at the same instant open the incident', async () => {
    const replicas: AuditStore[] = [];
    for (let i = 0; i < 6; i += 1) replicas.push(await open());
    const store = replicas[0] as AuditStore;
    const at = new Date('2026-11-30T12:00:00Z');
    // Five refusals already committed (written directly: no detector has seen them yet).
    const platform = store.db.fork().getPlatform();
    for (let seq = 1; seq <= 5; seq += 1) {
      await auditSql(store, `insert into audit_event (seq, id, at, actor_id, patient_ids, fields, decision, reason, format, prev_hash, hash) values (?, ?, ?, 'e-snoop', '["p-${seq}"]', '[]', 'DENY', 'NO_DUTY', 2, 'x', 'x')`, [
        seq, `ev-${seq}`, platform.processDateProperty(at),
      ]);
    }
    const failures: unknown[] = [];
    const detectors = replicas.map((r) => new RepeatedDenialDetector(r.db, new IncidentHistory(r.registers), (err) => failures.push(err)));
    for (const detector of detectors) detector.check([{ actorId: 'e-snoop', at }]);
    await Promise.all(detectors.map((d) => d.settled()));
    expect(failures).toEqual([]);
    expect((await store.incidents.list()).filter((i) => i.kind === 'REPEATED_DENIALS' && i.actorId === 'e-snoop')).toHaveLength(1);
  });

  it('moves the patients of events written to their own table into each event (migration 0012) and the field index into its lookup (0013), keeps verifying, and reverts', async () => {
    const at = new Date('2026-11-30T09:00:00Z');
    // The store before migration 0012: each event's patients in audit_event_patient.
    const before = auditStoreMigrations.findIndex((m) => m.name === '0012-patients-in-their-event');
    const old = await Database.open({ service: 'audit', entities: auditStoreEntities, migrations: auditStoreMigrations.slice(0, before), target });
    await old.migrate();
    const em = old.fork();
    const platform = em.getPlatform();
    let prevHash = GENESIS_HASH;
    const written: [number, string[]][] = [[1, ['p-b', 'p-a', 'p-c']], [2, []], [3, ['p-a']]];
    for (const [seq, ids] of written) {
      const content = { seq, id: `ev-${seq}`, at, actorId: 'e-roy', role: 'RECEPTIONIST', patientIds: [...ids].sort(), fields: ['Patient.lastName'], decision: 'ALLOW', reason: null, prevHash };
      const hash = chainHash(content, EVENT_FORMAT.rulesVersioned);
      await em
        .getConnection()
        .execute("insert into audit_event (seq, id, at, actor_id, role, fields, decision, format, prev_hash, hash) values (?, ?, ?, 'e-roy', 'RECEPTIONIST', ?, 'ALLOW', 3, ?, ?)", [
          seq, content.id, platform.processDateProperty(at), JSON.stringify(content.fields), prevHash, hash,
        ]);
      await em.getConnection().execute("insert into audit_event_field (event_seq, field) values (?, 'Patient.lastName')", [seq]);
      for (const id of ids) await em.getConnection().execute('insert into audit_event_patient (event_seq, patient_id) values (?, ?)', [seq, id]);
      prevHash = hash;
    }
    await em.getConnection().execute('update audit_chain_head set last_seq = 3, last_hash = ? where id = 1', [prevHash]);
    await old.close();

    const store = await open();
    const listed = (await auditSql<{ seq: number | string; patient_ids: unknown }>(store, 'select seq, patient_ids from audit_event order by seq')).map((r) => [
      Number(r.seq), typeof r.patient_ids === 'string' ? JSON.parse(r.patient_ids) : r.patient_ids,
    ]);
    expect(listed).toEqual([[1, ['p-a', 'p-b', 'p-c']], [2, []], [3, ['p-a']]]);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 3, firstBrokenEventId: null });
    expect((await store.auditLog.list({ patientId: 'p-a', first: 10 })).map((e) => e.id)).toEqual(['ev-3', 'ev-1']);
    await store.auditLog.append([entry(['p-c'], { requestId: 'req-new' })], new Date('2026-11-30T09:05:00Z'));
    expect((await store.auditLog.list({ patientId: 'p-c', first: 10 })).map((e) => e.requestId ?? e.id)).toEqual(['req-new', 'ev-1']);
    expect((await storedEvents(store)).map((e) => e.patientIds)).toEqual([['p-a', 'p-b', 'p-c'], [], ['p-a'], ['p-c']]);
    // Their fields are found by field (migration 0013 moved the field index into its batched lookup).
    expect([...new Set((await store.auditLog.list({ field: 'Patient.lastName', first: 20 })).map((e) => e.id))]).toEqual([expect.any(String), 'ev-3', 'ev-2', 'ev-1']);
    await store.auditLog.indexLookups();
    expect([...new Set((await store.auditLog.list({ field: 'Patient.lastName', first: 20 })).map((e) => e.id))]).toEqual([expect.any(String), 'ev-3', 'ev-2', 'ev-1']);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4, firstBrokenEventId: null });

    // Reverted, each event's patients are rows of their own table again, and the chain still verifies.
    await store.db.orm.getMigrator().down({ to: '0012-patients-in-their-event' });
    expect(await auditSql(store, backend === 'sqlite' ? "select name from sqlite_master where name = 'audit_field_lookup'" : "select tablename as name from pg_tables where tablename = 'audit_field_lookup'")).toEqual([]);
    const rows = await auditSql<{ event_seq: number | string; patient_id: string }>(store, 'select event_seq, patient_id from audit_event_patient order by event_seq, patient_id');
    expect(rows.map((r) => [Number(r.event_seq), r.patient_id])).toEqual([[1, 'p-a'], [1, 'p-b'], [1, 'p-c'], [3, 'p-a'], [4, 'p-c']]);
    const fields = await auditSql<{ event_seq: number | string; field: string }>(store, 'select event_seq, field from audit_event_field order by event_seq, field');
    expect(fields.map((r) => [Number(r.event_seq), r.field])).toEqual([[1, 'Patient.lastName'], [2, 'Patient.lastName'], [3, 'Patient.lastName'], [4, 'Patient.lastName'], [4, 'Query.patients']]);
    await store.db.migrate();
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4, firstBrokenEventId: null });
  });

  it('indexes a batch as one posting per patient naming its events (migration 0014), finds them alike, and reverts to one row per patient and event', async () => {
    const store = await open();
    const postings = async () =>
      (await auditSql<{ patient_id: string; last_seq: number | string; event_seqs: unknown }>(store, 'select patient_id, last_seq, event_seqs from audit_patient_posting order by patient_id, last_seq')).map((r) => [
        r.patient_id, Number(r.last_seq), typeof r.event_seqs === 'string' ? JSON.parse(r.event_seqs) : r.event_seqs,
      ]);
    const requestsOf = async (patientId: string) => (await store.auditLog.list({ patientId, first: 20 })).map((e) => e.requestId);
    for (let i = 1; i <= 5; i += 1) await store.auditLog.append([entry(['p-a', 'p-b'], { requestId: `req-${i}` })], new Date('2026-11-30T10:00:00Z'));
    await store.auditLog.indexLookups();
    await store.auditLog.append([entry(['p-a'], { requestId: 'req-6' })], new Date('2026-11-30T10:01:00Z'));
    await store.auditLog.append([entry(['p-c', 'p-a'], { requestId: 'req-7' })], new Date('2026-11-30T10:02:00Z'));
    await store.auditLog.indexLookups();
    // Ten (patient, event) pairs of the first batch are two rows; the second batch adds one per patient it names.
    expect(await postings()).toEqual([
      ['p-a', 5, [1, 2, 3, 4, 5]],
      ['p-a', 7, [6, 7]],
      ['p-b', 5, [1, 2, 3, 4, 5]],
      ['p-c', 7, [7]],
    ]);
    expect(await requestsOf('p-a')).toEqual(['req-7', 'req-6', 'req-5', 'req-4', 'req-3', 'req-2', 'req-1']);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 7, firstBrokenEventId: null });

    await store.db.orm.getMigrator().down({ to: '0013-field-lookup-in-batches' });
    const pairs = await auditSql<{ patient_id: string; event_seq: number | string }>(store, 'select patient_id, event_seq from audit_patient_lookup order by patient_id, event_seq');
    expect(pairs.map((r) => `${r.patient_id} ${Number(r.event_seq)}`)).toEqual(['p-a 1', 'p-a 2', 'p-a 3', 'p-a 4', 'p-a 5', 'p-a 6', 'p-a 7', 'p-b 1', 'p-b 2', 'p-b 3', 'p-b 4', 'p-b 5', 'p-c 7']);
    await store.db.migrate();
    expect(await postings()).toEqual([
      ['p-a', 7, [1, 2, 3, 4, 5, 6, 7]],
      ['p-b', 5, [1, 2, 3, 4, 5]],
      ['p-c', 7, [7]],
    ]);
    expect(await requestsOf('p-b')).toEqual(['req-5', 'req-4', 'req-3', 'req-2', 'req-1']);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 7, firstBrokenEventId: null });
  });

  it('reverts migration 0008 (rules version, filters, field index) and applies it again', async () => {
    const store = await open();
    const migrator = store.db.orm.getMigrator();
    // Reverts down to and including the one named.
    await migrator.down({ to: '0008-rules-version-and-searchable-fields' });
    const columns = backend === 'sqlite'
      ? (await auditSql<{ name: string }>(store, "select name from pragma_table_info('audit_event')")).map((c) => c.name)
      : (await auditSql<{ name: string }>(store, "select column_name as name from information_schema.columns where table_name = 'audit_event'")).map((c) => c.name);
    expect(columns).not.toContain('rules_version');
    expect(columns).not.toContain('filters');
    expect(columns).toContain('client_request_id');
    await store.db.migrate();
    await store.auditLog.append([entry(['p-a'], { rulesVersion: 'sha256:x', filters: '{"kind":"search"}' })], new Date('2026-11-30T10:00:00Z'));
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 1, firstBrokenEventId: null });
    expect(await store.auditLog.list({ field: 'Query.patients', first: 5 })).toMatchObject([{ rulesVersion: 'sha256:x', filters: '{"kind":"search"}', patientId: 'p-a' }]);
  });

  it('refuses appends once closed (fail closed), with nothing written', async () => {
    const store = await open();
    const other = await open();
    await store.close();
    await expect(store.auditLog.append([entry(['p-a'])], new Date())).rejects.toThrow(/closed/);
    expect(await other.auditLog.verify()).toEqual({ ok: true, events: 0, firstBrokenEventId: null });
    opened.splice(opened.indexOf(store), 1);
  });
});
