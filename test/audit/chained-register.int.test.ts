import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore, type AuditStore } from '@clinic/gateway';
import type { DatabaseTarget } from '@clinic/service-kit';
import { ChainedRegister } from '../../gateway/src/audit-store/chained-register.js';
import { testBackends } from '../support/backends.js';
import { auditSql, freshAuditTarget } from '../support/audit-helpers.js';

/**
 * The append-only registers beside the audit log (disclosures, incident history, sign-offs): one
 * hash chain per register, appended one at a time even when many appends race, and any edit,
 * removal or reordering of an entry is reported by `verify`.
 */
describe.each(testBackends())('chained registers on %s', (backend) => {
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  let store: AuditStore;
  const at = new Date('2026-11-30T15:00:00Z');
  beforeEach(async () => {
    ({ target, drop } = await freshAuditTarget(backend));
    store = await openAuditStore({ target });
  });
  afterEach(async () => {
    await store.close();
    await drop();
  });

  it('chains concurrent appends in order, keeps registers apart and verifies', async () => {
    const a = new ChainedRegister<{ n: number; note: string }>(store.db, 'test-a', 'ta');
    const b = new ChainedRegister<{ n: number }>(store.db, 'test-b', 'tb');
    await Promise.all([...Array.from({ length: 12 }, (_, n) => a.append({ n, note: `entry ${n}` }, { at, subjectId: n % 2 ? 'p-odd' : 'p-even' })), b.append({ n: 99 }, { at })]);
    const entries = await a.list();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(entries.slice(1).every((e, i) => e.prevHash === entries[i]?.hash)).toBe(true);
    expect((await a.list({ subjectIds: ['p-odd'] })).map((e) => e.entry.n).sort((x, y) => x - y)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(await b.list()).toHaveLength(1);
    expect(await a.verify()).toEqual({ register: 'test-a', ok: true, entries: 12, firstBrokenEntryId: null });
    expect((await b.verify()).ok).toBe(true);
    expect((await store.registers.verifyAll()).map((r) => [r.register, r.ok, r.entries])).toEqual([
      ['test-a', true, 12],
      ['test-b', true, 1],
    ]);
  });

  it('reports an edited entry, and a removed last entry', async () => {
    const a = store.registers.open<{ note: string }>('test-a', 'ta');
    expect(store.registers.open('test-a', 'ta')).toBe(a);
    const first = await a.append({ note: 'first' }, { at });
    const second = await a.append({ note: 'second' }, { at });
    await auditSql(store, `update register_entry set entry = '{"note":"rewritten"}' where id = '${first.id}'`);
    expect(await a.verify()).toMatchObject({ ok: false, firstBrokenEntryId: first.id });
    await auditSql(store, `update register_entry set entry = '{"note":"first"}' where id = '${first.id}'`);
    expect((await a.verify()).ok).toBe(true);
    await auditSql(store, `delete from register_entry where id = '${second.id}'`);
    expect(await a.verify()).toMatchObject({ ok: false, entries: 1 });
  });
});
