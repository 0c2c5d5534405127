import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditStore, type AuditStore } from './audit-store.js';
import { EMERGENCY_ACCESS_MINUTES } from './emergency-access.js';

/**
 * The reader's open emergency accesses, asked on every request of a reader who may break the glass
 * (on SQLite, one statement prepared once on a read-only connection of its own): what it answers,
 * that it sees an access opened through the other connection at once, one statement per call, and
 * nothing once the store is closed (fail closed).
 */
describe('the open emergency accesses of a reader', () => {
  const dirs: string[] = [];
  const stores: AuditStore[] = [];
  const open = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emergency-access-'));
    dirs.push(dir);
    const store = await openAuditStore({ target: { kind: 'sqlite', file: join(dir, 'audit.sqlite') } });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => undefined);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const grant = (patientId: string, grantedTo = 'e-tremblay') => ({ patientId, grantedTo, role: 'PHYSICIAN', justification: 'Unconscious patient brought in, chart needed now' });
  const minutes = (n: number) => n * 60_000;

  it('answers the accesses open at the instant, latest expiry first, and sees a new one at once', async () => {
    const store = await open();
    const t0 = new Date('2026-12-03T14:00:00Z');
    expect(await store.emergencyAccess.openFor('e-tremblay', t0)).toEqual([]);
    const first = await store.emergencyAccess.open(grant('p-1'), t0);
    const later = new Date(t0.getTime() + minutes(10));
    const second = await store.emergencyAccess.open(grant('p-2'), later);
    await store.emergencyAccess.open(grant('p-3', 'e-other'), later);

    const both = await store.emergencyAccess.openFor('e-tremblay', new Date(later.getTime() + minutes(1)));
    expect(both).toEqual([
      { id: second.id, patientId: 'p-2', expiresAt: second.expiresAt },
      { id: first.id, patientId: 'p-1', expiresAt: first.expiresAt },
    ]);
    // Not yet open before it was opened, no longer open once it expired.
    expect((await store.emergencyAccess.openFor('e-tremblay', t0)).map((a) => a.patientId)).toEqual(['p-1']);
    expect((await store.emergencyAccess.openFor('e-tremblay', new Date(t0.getTime() + minutes(EMERGENCY_ACCESS_MINUTES)))).map((a) => a.patientId)).toEqual(['p-2']);
  });

  it('runs one SQL statement per call, counted with the store\'s', async () => {
    const store = await open();
    const before = store.db.statements.total;
    for (let i = 0; i < 3; i += 1) await store.emergencyAccess.openFor('e-tremblay', new Date());
    expect(store.db.statements.total - before).toBe(3);
  });

  it('answers nothing once the store is closed: the request is refused, not served without its accesses', async () => {
    const store = await open();
    await store.emergencyAccess.openFor('e-tremblay', new Date());
    await store.close();
    await expect(store.emergencyAccess.openFor('e-tremblay', new Date())).rejects.toThrow();
  });
});
