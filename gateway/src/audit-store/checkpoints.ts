import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@clinic/service-kit';
import type { AuditLog } from './audit-log.js';
import { GENESIS_HASH } from './chain-hash.js';
import type { ChainedRegisters } from './chained-register.js';

/**
 * Signed checkpoints of the audit chain (issue 15): tamper evidence that does not depend on
 * trusting whoever administers the database. A checkpoint is the chain's head (the hash of its
 * last event and how many events it has) at an instant, signed with an Ed25519 private key the
 * database never holds, written where the clinic chooses (another machine, write-once storage).
 * Rewriting the whole chain with every hash recomputed passes the chain check, but not a
 * checkpoint signed before: the event it names no longer has the hash it signed. The heads of the
 * registers kept beside the log (disclosures, incident history, review sign-offs) are signed too.
 */
export const CHECKPOINT_FORMAT = 'clinic-audit-checkpoint/1';

export interface CheckpointPayload {
  format: typeof CHECKPOINT_FORMAT;
  /** Events in the chain when signed (the seq of its last event). */
  events: number;
  /** The hash of that event (the genesis hash for an empty chain). */
  headHash: string;
  at: string;
  /** Which key signed: the SHA-256 of its public key (SPKI DER), in hex. */
  keyId: string;
  /** The head of each chained register beside the log (./chained-register.ts), by name. */
  registers: { register: string; entries: number; headHash: string }[];
}

/** What a checkpoint reads: the log, the registers beside it and the database holding both. */
export interface CheckpointedStore {
  db: Pick<Database, 'fork'>;
  auditLog: Pick<AuditLog, 'head' | 'verify' | 'hashesAt'>;
  registers: Pick<ChainedRegisters, 'verifyAll'>;
}

async function registerHeads(store: CheckpointedStore): Promise<CheckpointPayload['registers']> {
  const rows = await store.db
    .fork()
    .getConnection('read')
    .execute<{ register: string; last_seq: number | string; last_hash: string }[]>('select register, last_seq, last_hash from register_head order by register');
  return rows.map((r) => ({ register: r.register, entries: Number(r.last_seq), headHash: r.last_hash }));
}

/** The stored hash of each register entry named (register, seq): one statement. */
async function registerHashesAt(store: CheckpointedStore, named: readonly { register: string; seq: number }[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (named.length === 0) return found;
  const rows = await store.db
    .fork()
    .getConnection('read')
    .execute<{ register: string; seq: number | string; hash: string }[]>(
      `select register, seq, hash from register_entry where ${named.map(() => '(register = ? and seq = ?)').join(' or ')}`,
      named.flatMap((n) => [n.register, n.seq]),
    );
  for (const r of rows) found.set(`${r.register}#${Number(r.seq)}`, r.hash);
  return found;
}

export interface SignedCheckpoint {
  payload: CheckpointPayload;
  /** Ed25519 over the canonical JSON of the payload, base64. */
  signature: string;
}

export type CheckpointProblem = 'UNREADABLE' | 'BAD_SIGNATURE' | 'EVENTS_MISSING' | 'HEAD_REWRITTEN';

export interface CheckpointResult {
  file: string;
  events: number | null;
  at: string | null;
  ok: boolean;
  problem: CheckpointProblem | null;
}

const canonical = (p: CheckpointPayload) =>
  Buffer.from(JSON.stringify([p.format, p.events, p.headHash, p.at, p.keyId, p.registers.map((r) => [r.register, r.entries, r.headHash])]), 'utf8');

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function readPrivateKey(path: string): KeyObject {
  const key = createPrivateKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('audit checkpoint: the private key is not an Ed25519 key');
  return key;
}

export function readPublicKey(path: string): KeyObject {
  const key = createPublicKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('audit checkpoint: the public key is not an Ed25519 key');
  return key;
}

/** A new key pair as PEM files: the private one readable by its owner only (it must not live beside the database). */
export function writeKeyPair(privatePath: string, publicPath: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  return keyIdOf(publicKey);
}

export function signCheckpoint(head: { seq: number; hash: string }, registers: CheckpointPayload['registers'], at: Date, privateKey: KeyObject): SignedCheckpoint {
  const payload: CheckpointPayload = {
    format: CHECKPOINT_FORMAT, events: head.seq, headHash: head.hash, at: at.toISOString(), keyId: keyIdOf(createPublicKey(privateKey)), registers,
  };
  return { payload, signature: sign(null, canonical(payload), privateKey).toString('base64') };
}

/**
 * Signs the chain's head as it stands, after checking the chain up to it: a checkpoint vouches for
 * an intact chain only. Throws when the chain is broken.
 */
export async function takeCheckpoint(store: CheckpointedStore, privateKey: KeyObject, at: Date): Promise<SignedCheckpoint> {
  const head = await store.auditLog.head();
  const registers = await registerHeads(store);
  // verify() checks up to the head as it stands when it starts: at least this one.
  const status = await store.auditLog.verify();
  if (!status.ok) throw new Error(`audit checkpoint: the chain is broken at event ${status.firstBrokenEventId}; nothing signed`);
  const broken = (await store.registers.verifyAll()).find((r) => !r.ok);
  if (broken) throw new Error(`audit checkpoint: the register ${broken.register} is broken at entry ${broken.firstBrokenEntryId}; nothing signed`);
  return signCheckpoint(head, registers, at, privateKey);
}

/** Writes a checkpoint as a file of its own in `dir` (never over another); returns its name. */
export function writeCheckpoint(dir: string, checkpoint: SignedCheckpoint): string {
  const stamp = checkpoint.payload.at.replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = `checkpoint-${stamp}-${checkpoint.payload.events}.json`;
  writeFileSync(join(dir, name), `${JSON.stringify(checkpoint, null, 2)}\n`, { flag: 'wx' });
  return name;
}

function parsed(text: string): SignedCheckpoint | undefined {
  try {
    const value = JSON.parse(text) as SignedCheckpoint;
    const p = value?.payload;
    const wellFormed =
      p?.format === CHECKPOINT_FORMAT && Number.isInteger(p.events) && p.events >= 0 && typeof p.headHash === 'string' && typeof p.at === 'string' &&
      typeof p.keyId === 'string' && typeof value.signature === 'string' && Array.isArray(p.registers) &&
      p.registers.every((r) => typeof r?.register === 'string' && Number.isInteger(r.entries) && typeof r.headHash === 'string');
    return wellFormed ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks the chain against every checkpoint file of `dir` (`*.json`, in name order): each must be
 * signed by this public key, and the event it names must still be in the chain with the hash it
 * signed. With the chain check itself (AuditLog.verify), that proves events 1..N are as signed.
 */
export async function checkAgainstCheckpoints(store: CheckpointedStore, dir: string, publicKey: KeyObject): Promise<CheckpointResult[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const checkpoints = files.map((file) => ({ file, checkpoint: parsed(readFileSync(join(dir, file), 'utf8')) }));
  const seqs = checkpoints.flatMap(({ checkpoint }) => (checkpoint && checkpoint.payload.events > 0 ? [checkpoint.payload.events] : []));
  const [head, hashes] = [await store.auditLog.head(), await store.auditLog.hashesAt([...new Set(seqs)])];
  const entries = new Map(checkpoints.flatMap(({ checkpoint }) => (checkpoint?.payload.registers ?? []).filter((r) => r.entries > 0).map((r) => [`${r.register}#${r.entries}`, { register: r.register, seq: r.entries }])));
  const registerHashes = await registerHashesAt(store, [...entries.values()]);
  // A register's entry that still has the hash signed; a missing one was removed, another hash rewritten.
  const registerProblem = (p: CheckpointPayload): CheckpointProblem | null => {
    for (const r of p.registers) {
      if (r.entries === 0) continue;
      const stored = registerHashes.get(`${r.register}#${r.entries}`);
      if (stored === undefined) return 'EVENTS_MISSING';
      if (stored !== r.headHash) return 'HEAD_REWRITTEN';
    }
    return null;
  };
  return checkpoints.map(({ file, checkpoint }) => {
    if (!checkpoint) return { file, events: null, at: null, ok: false, problem: 'UNREADABLE' };
    const { payload } = checkpoint;
    const result = (problem: CheckpointProblem | null): CheckpointResult => ({ file, events: payload.events, at: payload.at, ok: problem === null, problem });
    let signed: boolean;
    try {
      signed = payload.keyId === keyIdOf(publicKey) && verify(null, canonical(payload), publicKey, Buffer.from(checkpoint.signature, 'base64'));
    } catch {
      signed = false;
    }
    if (!signed) return result('BAD_SIGNATURE');
    if (payload.events === 0) return result(payload.headHash === GENESIS_HASH ? registerProblem(payload) : 'HEAD_REWRITTEN');
    if (payload.events > head.seq || !hashes.has(payload.events)) return result('EVENTS_MISSING');
    return result(hashes.get(payload.events) === payload.headHash ? registerProblem(payload) : 'HEAD_REWRITTEN');
  });
}
