import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkAgainstCheckpoints, openAuditStore, readPrivateKey, readPublicKey, takeCheckpoint, writeCheckpoint, writeKeyPair, type AuditStore } from '@clinic/gateway';
import type { DatabaseTarget } from '@clinic/service-kit';
import { chainHash, GENESIS_HASH, type EventFormat } from '../../gateway/src/audit-store/chain-hash.js';
import { registerEntryHash } from '../../gateway/src/audit-store/chained-register.js';
import { testBackends } from '../support/backends.js';
import { auditSql, freshAuditTarget } from '../support/audit-helpers.js';

/**
 * Issue 15: tamper evidence that does not depend on trusting the database administrator. Signed
 * checkpoints of the chain's head (Ed25519, a key the database does not hold), and
 * `npm run audit:verify` checking the chain against them: a rewrite of the whole chain, every hash
 * recomputed consistently, passes the chain check but is exposed by a checkpoint signed before it.
 */

// The commands run as child processes (a few seconds each on a busy machine).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run <script>` as an operator runs it: the audit store by DATA_DIR or AUDIT_DATABASE_URL, the checkpoint settings by environment. */
function runScript(script: string, target: DatabaseTarget, extraEnv: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...extraEnv };
  delete env.AUDIT_DATABASE_URL;
  delete env.DATABASE_URL;
  if (target.kind === 'sqlite') {
    if (basename(target.file) !== 'audit.sqlite') throw new Error('the scripts find <DATA_DIR>/audit.sqlite');
    env.DATA_DIR = dirname(target.file);
  } else {
    env.AUDIT_DATABASE_URL = target.url;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, env, timeout: 100_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const entry = (i: number, decision: 'ALLOW' | 'DENY' = 'ALLOW') => ({
  actorId: 'e-roy', role: 'RECEPTIONIST', decision, reason: decision === 'DENY' ? 'RESTRICTED' : null, fields: ['Patient.address'], emergencyAccessId: null,
  patientIds: [`p-${i % 3}`], operationName: 'Read', clientName: null, requestId: `req-${i}`, rulesVersion: 'sha256:test',
});

type Row = Record<string, unknown>;

/**
 * What someone with full access to the database can do: change events and recompute every hash and
 * link after them, and the head, so that the chain is consistent again.
 */
async function rewriteWholeChain(store: AuditStore, change: (row: Row) => Row): Promise<void> {
  const rows = await auditSql<Row>(store, 'select * from audit_event order by seq');
  const patients = await auditSql<{ event_seq: number | string; patient_id: string }>(store, 'select event_seq, patient_id from audit_event_patient');
  const toDate = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === 'string' && !/^\d+$/.test(v) ? v : Number(v)));
  let prevHash = GENESIS_HASH;
  for (const original of rows) {
    const row = change(original);
    const fields = typeof row.fields === 'string' ? (JSON.parse(row.fields) as string[]) : (row.fields as string[]);
    const content = {
      seq: Number(row.seq), id: String(row.id), at: toDate(row.at), actorId: row.actor_id as string | null, role: row.role as string | null,
      patientIds: patients.filter((p) => Number(p.event_seq) === Number(row.seq)).map((p) => p.patient_id).sort(), fields, decision: String(row.decision),
      reason: row.reason as string | null, emergencyAccessId: row.emergency_access_id as string | null, operationName: row.operation_name as string | null,
      clientName: row.client_name as string | null, requestId: row.request_id as string | null, clientRequestId: row.client_request_id as string | null,
      rulesVersion: row.rules_version as string | null, filters: row.filters as string | null, prevHash,
    };
    const hash = chainHash(content, Number(row.format) as EventFormat);
    await auditSql(store, 'update audit_event set decision = ?, reason = ?, prev_hash = ?, hash = ? where seq = ?', [content.decision, content.reason, prevHash, hash, content.seq]);
    prevHash = hash;
  }
  await auditSql(store, 'update audit_chain_head set last_hash = ? where id = 1', [prevHash]);
}

describe.each(testBackends())('signed checkpoints of the audit chain on %s', (backend) => {
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  let store: AuditStore;
  let keys: string;
  let checkpoints: string;
  const env = () => ({ AUDIT_CHECKPOINT_KEY: join(keys, 'checkpoint.key'), AUDIT_CHECKPOINT_PUBLIC_KEY: join(keys, 'checkpoint.pub'), AUDIT_CHECKPOINT_DIR: checkpoints });

  beforeAll(async () => {
    ({ target, drop } = await freshAuditTarget(backend));
    store = await openAuditStore({ target });
    keys = mkdtempSync(join(tmpdir(), 'clinic-checkpoint-keys-'));
    checkpoints = mkdtempSync(join(tmpdir(), 'clinic-checkpoints-'));
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
    rmSync(keys, { recursive: true, force: true });
    rmSync(checkpoints, { recursive: true, force: true });
  });

  it('makes a key pair, signs the head of the chain, and audit:verify finds chain and checkpoint intact', async () => {
    // The key pair command once (it touches no database); the same function in process on the other backend.
    if (backend === 'sqlite') {
      const keygen = await runScript('scripts/audit-checkpoint.ts', target, {}, ['keygen', env().AUDIT_CHECKPOINT_KEY, env().AUDIT_CHECKPOINT_PUBLIC_KEY]);
      expect(keygen.code, keygen.stderr).toBe(0);
      expect(keygen.stdout).toMatch(/wrote an Ed25519 key pair \(key id [0-9a-f]{64}\)/);
    } else {
      writeKeyPair(env().AUDIT_CHECKPOINT_KEY, env().AUDIT_CHECKPOINT_PUBLIC_KEY);
    }
    for (let i = 0; i < 5; i += 1) await store.auditLog.append([entry(i, i === 2 ? 'DENY' : 'ALLOW')], new Date(Date.UTC(2026, 10, 30, 9, i)));

    const signed = await runScript('scripts/audit-checkpoint.ts', target, env());
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/signed the chain of 5 events/);
    const [file] = readdirSync(checkpoints);
    const checkpoint = JSON.parse(readFileSync(join(checkpoints, file ?? ''), 'utf8')) as { payload: { events: number; headHash: string } };
    expect(checkpoint.payload).toMatchObject({ format: 'clinic-audit-checkpoint/1', events: 5, headHash: (await store.auditLog.head()).hash });

    const verified = await runScript('scripts/audit-verify.ts', target, env());
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('the chain of 5 events is intact');
    expect(verified.stdout).toContain('all 1 checkpoints match the chain');
  });

  it('exposes a rewrite of the whole chain, every hash recomputed, by the checkpoint signed before it', async () => {
    // Three more events, then the rewrite: the refusal (event 3) becomes an allowance.
    for (let i = 5; i < 8; i += 1) await store.auditLog.append([entry(i)], new Date(Date.UTC(2026, 10, 30, 10, i)));
    const before = await store.auditLog.head();
    await rewriteWholeChain(store, (row) => (Number(row.seq) === 3 ? { ...row, decision: 'ALLOW', reason: null } : row));
    // The chain alone is consistent again: only the checkpoint tells.
    expect(await store.auditLog.verify()).toEqual({ ok: true, events: 8, firstBrokenEventId: null });
    expect((await store.auditLog.head()).hash).not.toBe(before.hash);

    const verified = await runScript('scripts/audit-verify.ts', target, env());
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('the chain of 8 events is intact');
    expect(verified.stdout).toMatch(/CHECKPOINT FAILED checkpoint-\S+-5\.json \(5 events at .+\): the event it signed has another hash now \(the chain, or a register beside it, was rewritten\)/);
  });

  it('exposes a chain cut below a checkpoint, a checkpoint signed with another key and an altered checkpoint file', async () => {
    const privateKey = readPrivateKey(env().AUDIT_CHECKPOINT_KEY);
    const publicKey = readPublicKey(env().AUDIT_CHECKPOINT_PUBLIC_KEY);
    const dir = mkdtempSync(join(tmpdir(), 'clinic-checkpoints-case-'));
    try {
      // Signed now, over the (rewritten, consistent) chain of 8 events: it matches.
      const now = writeCheckpoint(dir, await takeCheckpoint(store, privateKey, new Date(Date.UTC(2026, 11, 1, 12))));
      expect((await checkAgainstCheckpoints(store, dir, publicKey)).map((r) => [r.file, r.problem])).toEqual([[now, null]]);

      // A key that is not the clinic's.
      const otherKeys = mkdtempSync(join(tmpdir(), 'clinic-other-keys-'));
      writeKeyPair(join(otherKeys, 'k'), join(otherKeys, 'k.pub'));
      const forged = writeCheckpoint(dir, await takeCheckpoint(store, readPrivateKey(join(otherKeys, 'k')), new Date(Date.UTC(2026, 11, 1, 13))));
      rmSync(otherKeys, { recursive: true, force: true });
      // The clinic's checkpoint with its count changed by hand.
      const altered = JSON.parse(readFileSync(join(dir, now), 'utf8')) as { payload: { events: number } };
      altered.payload.events = 7;
      writeFileSync(join(dir, 'checkpoint-altered.json'), JSON.stringify(altered));
      writeFileSync(join(dir, 'checkpoint-garbage.json'), '{"not":"a checkpoint"}');

      // The last two events removed, head moved back: a consistent but shorter chain.
      await auditSql(store, 'delete from audit_event where seq > 6');
      const [six] = await auditSql<{ hash: string }>(store, 'select hash from audit_event where seq = 6');
      await auditSql(store, 'update audit_chain_head set last_seq = 6, last_hash = ? where id = 1', [six?.hash]);
      expect(await store.auditLog.verify()).toEqual({ ok: true, events: 6, firstBrokenEventId: null });

      const results = await checkAgainstCheckpoints(store, dir, publicKey);
      expect(Object.fromEntries(results.map((r) => [r.file, r.problem]))).toEqual({
        [now]: 'EVENTS_MISSING',
        [forged]: 'BAD_SIGNATURE',
        'checkpoint-altered.json': 'BAD_SIGNATURE',
        'checkpoint-garbage.json': 'UNREADABLE',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs the heads of the registers beside the log too: a register rewritten with every hash recomputed is exposed', async () => {
    const privateKey = readPrivateKey(env().AUDIT_CHECKPOINT_KEY);
    const publicKey = readPublicKey(env().AUDIT_CHECKPOINT_PUBLIC_KEY);
    const register = store.registers.open<{ decision: string }>('test-sign-offs', 'tso');
    for (const decision of ['KEEP', 'REVOKE', 'KEEP']) await register.append({ decision }, { at: new Date(Date.UTC(2026, 10, 30, 12)), subjectId: 'e-roy' });
    const dir = mkdtempSync(join(tmpdir(), 'clinic-checkpoints-registers-'));
    try {
      const checkpoint = await takeCheckpoint(store, privateKey, new Date(Date.UTC(2026, 11, 1, 14)));
      expect(checkpoint.payload.registers).toEqual([{ register: 'test-sign-offs', entries: 3, headHash: (await register.list()).at(-1)?.hash }]);
      const file = writeCheckpoint(dir, checkpoint);
      expect((await checkAgainstCheckpoints(store, dir, publicKey)).map((r) => r.problem)).toEqual([null]);

      // The revocation becomes a KEEP, every entry's hash and link recomputed, the head moved: the register alone verifies.
      let prevHash = GENESIS_HASH;
      for (const e of await register.list()) {
        const entry = e.seq === 2 ? { decision: 'KEEP' } : e.entry;
        const hash = registerEntryHash({ register: e.register, seq: e.seq, id: e.id, at: e.at, subjectId: e.subjectId, entry, prevHash });
        await auditSql(store, 'update register_entry set entry = ?, prev_hash = ?, hash = ? where register = ? and seq = ?', [JSON.stringify(entry), prevHash, hash, e.register, e.seq]);
        prevHash = hash;
      }
      await auditSql(store, 'update register_head set last_hash = ? where register = ?', [prevHash, 'test-sign-offs']);
      expect((await store.registers.verifyAll()).find((r) => r.register === 'test-sign-offs')).toMatchObject({ ok: true, entries: 3 });
      expect((await checkAgainstCheckpoints(store, dir, publicKey)).map((r) => [r.file, r.problem])).toEqual([[file, 'HEAD_REWRITTEN']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to sign a broken chain, and audit:verify asks for the public key when checkpoints are configured', async () => {
    await auditSql(store, "update audit_event set operation_name = 'Forged' where seq = 2");
    await expect(takeCheckpoint(store, readPrivateKey(env().AUDIT_CHECKPOINT_KEY), new Date())).rejects.toThrow(/the chain is broken at event .+; nothing signed/);
    // The command's own answers, once (they do not depend on the backend).
    if (backend === 'sqlite') {
      const { AUDIT_CHECKPOINT_PUBLIC_KEY: _key, ...withoutKey } = env();
      const [refused, missing] = await Promise.all([runScript('scripts/audit-checkpoint.ts', target, env()), runScript('scripts/audit-verify.ts', target, withoutKey)]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/the chain is broken at event .+; nothing signed/);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('set AUDIT_CHECKPOINT_PUBLIC_KEY too');
    }
    expect(readdirSync(checkpoints)).toHaveLength(1);
  });
});
