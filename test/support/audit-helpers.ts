import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { AuditStore } from '@clinic/gateway';
import type { DatabaseTarget } from '@clinic/service-kit';
import type { Backend } from './backends.js';
import type { Caller, ClinicSystem, GraphQLResponse } from './clinic-system.js';

/** One row of the audit log as stored, read around the application. */
export interface StoredEvent {
  seq: number;
  id: string;
  actorId: string | null;
  /** The patients the event names (audit_event_patient), sorted. */
  patientIds: string[];
  decision: string;
  reason: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export interface ChainStatus {
  ok: boolean;
  events: number;
  firstBrokenEventId: string | null;
}

/** Runs one SQL statement directly on the audit store's database, as someone with database access would. */
export async function auditSql<T = Record<string, unknown>>(store: AuditStore, sql: string, params: unknown[] = []): Promise<T[]> {
  return store.db.fork().getConnection().execute<T[]>(sql, params);
}

/** Every stored audit event, in chain order, with the patients it names. */
export async function storedEvents(store: AuditStore): Promise<StoredEvent[]> {
  const rows = await auditSql<Record<string, unknown>>(store, 'select seq, id, actor_id, decision, reason, request_id, prev_hash, hash from audit_event order by seq');
  const patients = await auditSql<{ event_seq: number | string; patient_id: string }>(store, 'select event_seq, patient_id from audit_event_patient');
  const patientsOf = new Map<number, string[]>();
  for (const p of patients) patientsOf.set(Number(p.event_seq), [...(patientsOf.get(Number(p.event_seq)) ?? []), p.patient_id]);
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: String(r.id),
    actorId: (r.actor_id as string | null) ?? null,
    patientIds: (patientsOf.get(Number(r.seq)) ?? []).sort(),
    decision: String(r.decision),
    reason: (r.reason as string | null) ?? null,
    requestId: (r.request_id as string | null) ?? null,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  }));
}

/** The single row of audit_chain_head: the last link of the chain as the appenders left it. */
export async function chainHead(store: AuditStore): Promise<{ lastSeq: number; lastHash: string }> {
  const rows = await auditSql<{ last_seq: number; last_hash: string }>(store, 'select last_seq, last_hash from audit_chain_head');
  if (rows.length !== 1) throw new Error(`audit_chain_head has ${rows.length} rows`);
  return { lastSeq: Number(rows[0]?.last_seq), lastHash: String(rows[0]?.last_hash) };
}

export const VERIFY_AUDIT_CHAIN = 'query Verify { verifyAuditChain { ok events firstBrokenEventId } }';

/** `verifyAuditChain`, asked by the privacy officer through the gateway. */
export async function verifyThroughApi(system: ClinicSystem): Promise<ChainStatus> {
  const res = await system.query<{ verifyAuditChain: ChainStatus }>(VERIFY_AUDIT_CHAIN, undefined, { as: 'privacy.fortin' });
  if (res.errors || !res.data) throw new Error(`verifyAuditChain failed: ${JSON.stringify(res)}`);
  return res.data.verifyAuditChain;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm run audit:verify` (scripts/audit-verify.ts) as a child process, pointed at this audit store
 * the way an operator would: DATA_DIR for the SQLite file, AUDIT_DATABASE_URL for PostgreSQL.
 */
export function runAuditVerify(target: DatabaseTarget): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AUDIT_DATABASE_URL;
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (target.kind === 'sqlite') {
    if (basename(target.file) !== 'audit.sqlite') throw new Error(`audit:verify finds <DATA_DIR>/audit.sqlite, not ${target.file}`);
    env.DATA_DIR = dirname(target.file);
  } else {
    env.AUDIT_DATABASE_URL = target.url;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], { cwd: repoRoot, env, timeout: 80_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Posts a GraphQL operation to one gateway replica (not necessarily the system's first one), as `caller`. */
export async function queryThrough<T = Record<string, unknown>>(
  system: ClinicSystem,
  gateway: { url: string },
  query: string,
  variables: Record<string, unknown> | undefined,
  caller: Caller,
): Promise<GraphQLResponse<T>> {
  if (!caller.as) throw new Error('queryThrough: the caller names no user');
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token(caller.as, { mfa: caller.mfa ?? false })}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** One column of one stored event, as a value that can be written back with `auditSql` (JSON columns as JSON text). */
export async function storedValue(store: AuditStore, seq: number, column: string): Promise<unknown> {
  const rows = await auditSql<Record<string, unknown>>(store, `select ${column} as value from audit_event where seq = ?`, [seq]);
  if (rows.length !== 1) throw new Error(`no audit event with seq ${seq}`);
  const value = rows[0]?.value;
  return value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
}

/**
 * Deletes one stored event directly in the database and returns a function that puts the very
 * same row back (copied aside with plain SQL, so the row comes back byte for byte on both backends).
 */
export async function deleteStoredEvent(store: AuditStore, seq: number): Promise<() => Promise<void>> {
  await auditSql(store, 'create table audit_event_deleted as select * from audit_event where seq = ?', [seq]);
  await auditSql(store, 'delete from audit_event where seq = ?', [seq]);
  return async () => {
    await auditSql(store, 'insert into audit_event select * from audit_event_deleted');
    await auditSql(store, 'drop table audit_event_deleted');
  };
}

/**
 * Makes the audit store refuse every new event (a trigger aborting inserts into audit_event), as a
 * full disk or a revoked grant would, while it stays readable; returns the function that lifts it.
 */
export async function refuseAuditInserts(store: AuditStore): Promise<() => Promise<void>> {
  if (store.db.target.kind === 'sqlite') {
    await auditSql(store, "create trigger audit_event_refused before insert on audit_event begin select raise(abort, 'audit store refuses writes'); end");
    return async () => {
      await auditSql(store, 'drop trigger audit_event_refused');
    };
  }
  await auditSql(store, "create function audit_event_refused() returns trigger language plpgsql as $$ begin raise exception 'audit store refuses writes'; end $$");
  await auditSql(store, 'create trigger audit_event_refused before insert on audit_event for each row execute function audit_event_refused()');
  return async () => {
    await auditSql(store, 'drop trigger audit_event_refused on audit_event');
    await auditSql(store, 'drop function audit_event_refused()');
  };
}

/** An empty audit store location of its own (a SQLite file named as audit:verify expects, or a PostgreSQL database), and how to remove it. */
export async function freshAuditTarget(backend: Backend): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-audit-'));
    return { target: { kind: 'sqlite', file: join(dir, 'audit.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const baseUrl = process.env.TEST_POSTGRES_URL;
  if (!baseUrl) throw new Error('TEST_POSTGRES_URL is not set');
  const name = `clinic_audit_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgresql', url: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
