import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-entry.js';
import { AppendPlacement } from './append-placement.js';
import { openAuditStore, type AuditStore } from './audit-store.js';
import { SqliteEventWriter } from './sqlite-event-writer.js';

/**
 * The SQLite append once the writer thread takes over (every append after a writer's first):
 * still one valid chain, still fail closed, and still linked to the head when another replica
 * moved it meanwhile.
 */

const entry = (patientIds: string[], requestId: string): AuditEntry => ({
  actorId: 'e-roy',
  role: 'RECEPTIONIST',
  decision: 'ALLOW',
  reason: null,
  fields: ['Patient.lastName'],
  emergencyAccessId: null,
  patientIds,
  operationName: 'List',
  clientName: 'desk',
  requestId,
});

describe('the SQLite audit append in its writer thread', () => {
  const dirs: string[] = [];
  const stores: AuditStore[] = [];
  const open = async (dir: string) => {
    // Every append after the first in the thread, as when the disk's sync is slow.
    const store = await openAuditStore({ target: { kind: 'sqlite', file: join(dir, 'audit.sqlite') }, slowCommitMs: 0 });
    stores.push(store);
    return store;
  };
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-writer-thread-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an append whose commit fails there, stores none of it, and appends again once the database accepts', async () => {
    const store = await open(freshDir());
    await store.auditLog.append([entry(['p-a'], 'req-1')], new Date());
    await store.auditLog.append([entry(['p-a', 'p-b'], 'req-2')], new Date());
    const connection = store.db.orm.em.getConnection();
    await connection.execute("create trigger refuse_audit before insert on audit_event begin select raise(abort, 'refused by the test'); end");
    await expect(store.auditLog.append([entry(['p-c'], 'req-3')], new Date())).rejects.toThrow(/refused by the test/);
    await connection.execute('drop trigger refuse_audit');
    await store.auditLog.append([entry(['p-d'], 'req-4')], new Date());
    await store.auditLog.append([entry(['p-e'], 'req-5')], new Date());
    const requests = await connection.execute<{ request_id: string }[]>('select request_id from audit_event order by seq');
    expect(requests.map((r) => r.request_id)).toEqual(['req-1', 'req-2', 'req-4', 'req-5']);
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 4, firstBrokenEventId: null });
  });

  it('links to the head another replica moved since its last append', async () => {
    const dir = freshDir();
    const [one, two] = [await open(dir), await open(dir)] as [AuditStore, AuditStore];
    await one.auditLog.append([entry(['p-a'], 'one-1')], new Date());
    await one.auditLog.append([entry(['p-a'], 'one-2')], new Date());
    await two.auditLog.append([entry(['p-b'], 'two-1')], new Date());
    await two.auditLog.append([entry(['p-b'], 'two-2')], new Date());
    await one.auditLog.append([entry(['p-c'], 'one-3')], new Date());
    await Promise.all([one.auditLog.append([entry(['p-d'], 'one-4')], new Date()), two.auditLog.append([entry(['p-d'], 'two-3')], new Date())]);
    const requests = await one.db.orm.em.getConnection().execute<{ request_id: string }[]>('select request_id from audit_event order by seq');
    expect(requests.map((r) => r.request_id).slice(0, 5)).toEqual(['one-1', 'one-2', 'two-1', 'two-2', 'one-3']);
    expect(requests.map((r) => r.request_id).slice(5).sort()).toEqual(['one-4', 'two-3']);
    expect(await one.auditLog.verify()).toEqual({ ok: true, events: 7, firstBrokenEventId: null });
  });

  it('commits on its own connection while commits are quick, in the thread once they are slow (timed there too), one chain either way', async () => {
    const dir = freshDir();
    const file = join(dir, 'audit.sqlite');
    await (await openAuditStore({ target: { kind: 'sqlite', file } })).close();
    class Counted extends AppendPlacement {
      toThread = 0;
      commits = 0;
      override onEventLoop(): boolean {
        const here = super.onEventLoop();
        if (!here) this.toThread += 1;
        return here;
      }
      override committed(ms: number): void {
        this.commits += 1;
        super.committed(ms);
      }
    }
    const appendFive = async (placement: Counted, tag: string) => {
      const writer = new SqliteEventWriter(file, () => undefined, placement);
      for (let i = 1; i <= 5; i += 1) await writer.append([{ entries: [entry(['p-a'], `${tag}-${i}`)], at: new Date() }]);
      await writer.close();
    };
    const quick = new Counted();
    await appendFive(quick, 'quick');
    expect(quick.toThread).toBe(0);
    expect(quick.commits).toBe(5);
    // Every commit counts as slow: the first append learns the head here, the next four go to the thread.
    const slow = new Counted(0);
    await appendFive(slow, 'slow');
    // The thread reports its commits too: the placement keeps measuring the disk wherever appends go.
    expect(slow.toThread).toBe(4);
    expect(slow.commits).toBe(5);
    const store = await open(dir);
    const requests = await store.db.orm.em.getConnection().execute<{ request_id: string }[]>('select request_id from audit_event order by seq');
    expect(requests.map((r) => r.request_id)).toEqual([1, 2, 3, 4, 5].map((i) => `quick-${i}`).concat([1, 2, 3, 4, 5].map((i) => `slow-${i}`)));
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 10, firstBrokenEventId: null });
  });
});
