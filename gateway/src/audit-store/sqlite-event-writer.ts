import { setTimeout as delay } from 'node:timers/promises';
import Libsql from 'libsql';
import type { PendingAppend } from './audit-entry.js';
import type { AppendPlacement } from './append-placement.js';
import { chainEvents } from './chain-events.js';
import { CURRENT_EVENT_FORMAT } from './chain-hash.js';
import { auditStoreClosed, type AuditEventWriter, type ChainHeadState, type EventToStore } from './event-writer.js';
import { LookupBatches, LOOKUP_SQL } from './event-lookups.js';
import { WriterThread } from './writer-thread.js';

/** How long an append waits for another connection's write lock (another replica's append) before it fails. */
const LOCK_WAIT_MS = 10_000;

const isBusy = (err: unknown) => (err as { code?: string }).code?.startsWith('SQLITE_BUSY') ?? false;

/**
 * SQLite appends through libsql's synchronous prepared statements (better-sqlite3's API, prebuilt
 * binaries, no install script), prepared once on the writer's own connection. The transaction runs
 * in one synchronous stretch once the write lock is taken, so nothing else in this process can run
 * in the middle of it; waiting for a lock another connection holds is done asynchronously, never by
 * blocking the event loop (this process's other connection, MikroORM's, may be the one holding it).
 * An append commits on this connection while the disk's sync is quick, in the writer thread when
 * it is slow (append-placement.ts); the lookups' batches always run in the thread.
 */
export class SqliteEventWriter implements AuditEventWriter {
  private readonly db: Libsql.Database;
  private readonly begin: Libsql.Statement;
  private readonly readHead: Libsql.Statement;
  private readonly insertEvent: Libsql.Statement;
  private readonly moveHead: Libsql.Statement;
  private readonly commit: Libsql.Statement;
  private readonly rollback: Libsql.Statement;

  /** The head as this writer last committed it: the writer thread appends only on top of it. */
  private head: ChainHeadState | undefined;
  private readonly thread: WriterThread;
  /** The lookups' batches, run in the writer thread after the appends. */
  private readonly lookupBatches = new LookupBatches(async () => (await this.thread.indexLookups()) === 'committed');

  constructor(
    file: string,
    private readonly countStatements: (n: number) => void,
    /** Where each append commits (openAuditStore makes it, with the clinic's threshold). */
    private readonly placement: AppendPlacement,
  ) {
    this.db = new Libsql(file);
    // Lock waits are handled in lock(), asynchronously.
    this.db.pragma('busy_timeout = 0');
    // The write-ahead log is copied back into the file by the writer thread's commits (the
    // lookups' batches), not by an append holding the event loop.
    this.db.pragma('wal_autocheckpoint = 0');
    this.begin = this.db.prepare('begin immediate');
    this.readHead = this.db.prepare('select last_seq, last_hash from audit_chain_head where id = 1');
    this.insertEvent = this.db.prepare(STATEMENTS.insertEvent);
    this.moveHead = this.db.prepare(STATEMENTS.moveHead);
    this.commit = this.db.prepare('commit');
    this.rollback = this.db.prepare('rollback');
    this.thread = new WriterThread(file, STATEMENTS, LOOKUP_SQL.sqlite);
  }

  /**
   * Here, on this connection, while commits are quick (the placement says so, from the commits of
   * both places), for the first append, and when another replica moved the head meanwhile; in the
   * writer thread when commits are slow or a lookups' batch holds the lock there (the append then queues behind it instead
   * of polling for the lock), as long as the head this writer last committed is known.
   */
  async append(batch: readonly PendingAppend[]): Promise<void> {
    if (!this.db.open) throw auditStoreClosed();
    const head = this.head;
    if (head && (this.lookupBatches.running() || !this.placement.onEventLoop())) {
      const events = chainEvents(head, batch);
      // A failure refuses the batch (fail closed); the next append learns the head again here.
      this.head = undefined;
      const runs = statementsOf(events);
      const { outcome, commitMs } = await this.thread.append(head, runs);
      if (commitMs !== undefined) this.placement.committed(commitMs);
      if (outcome === 'committed') {
        // begin, the head check, the statements and commit.
        this.countStatements(3 + runs.length);
        this.head = headAfter(head, events);
        this.lookupBatches.appended(events.length);
        return;
      }
      // begin, the head check, rollback
      if (outcome === 'stale') this.countStatements(3);
    }
    this.thread.warmUp();
    this.head = await this.appendHere(batch);
    this.lookupBatches.appended(batch.length);
  }

  /**
   * Indexes by patient every event appended so far (any replica's), in the writer thread. The
   * writers do it every INDEX_EVERY_EVENTS events on their own; look-ups never wait for it.
   */
  async indexLookups(): Promise<void> {
    const outcome = await this.thread.indexLookups();
    if (outcome === 'busy') throw Object.assign(new Error('audit log: the lookups are being written elsewhere'), { code: 'SQLITE_BUSY' });
  }

  private async appendHere(batch: readonly PendingAppend[]): Promise<ChainHeadState> {
    await this.lock();
    let statements = 1;
    try {
      const head = this.readHead.get() as { last_seq: number; last_hash: string } | undefined;
      statements += 1;
      if (!head) throw new Error('audit log: the chain head is missing');
      const start = { seq: Number(head.last_seq), hash: head.last_hash };
      const events = chainEvents(start, batch);
      for (const [name, params] of statementsOf(events)) {
        this[name].run(...params);
        statements += 1;
      }
      const committing = performance.now();
      this.commit.run();
      this.placement.committed(performance.now() - committing);
      this.countStatements(statements + 1);
      return headAfter(start, events);
    } catch (err) {
      if (this.db.open && this.db.inTransaction) this.rollback.run();
      throw err;
    }
  }

  /** `begin immediate`: takes the write lock, or waits (without blocking) while another connection holds it. */
  private async lock(): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt += 1) {
      if (!this.db.open) throw auditStoreClosed();
      try {
        this.begin.run();
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() > deadline) throw err;
        await delay(Math.min(2 ** attempt, 25));
      }
    }
  }

  async close(): Promise<void> {
    await this.lookupBatches.settled();
    await this.thread.close();
    if (this.db.open) this.db.close();
  }
}

/** The statements an append runs besides begin, the head read and commit (prepared on both connections). */
const STATEMENTS = {
  insertEvent:
    // One row per event whatever its number of patients: they are a JSON array of its own (migration 0012).
    'insert into audit_event (seq, id, at, actor_id, role, patient_ids, fields, decision, reason, emergency_access_id, operation_name, client_name, request_id, client_request_id, rules_version, filters, format, prev_hash, hash) ' +
    `values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${CURRENT_EVENT_FORMAT}, ?, ?)`,
  moveHead: 'update audit_chain_head set last_seq = ?, last_hash = ? where id = 1',
} as const;
type StatementName = keyof typeof STATEMENTS;
type StatementRun = [StatementName, unknown[]];

/** What storing a batch runs, in order: each event (its patients and fields in its row), then the head moves. */
function statementsOf(events: readonly EventToStore[]): StatementRun[] {
  const runs: StatementRun[] = [];
  for (const e of events) {
    runs.push([
      'insertEvent',
      [
        e.seq, e.id, e.at.getTime(), e.actorId, e.role, JSON.stringify(e.patientIds), JSON.stringify(e.fields), e.decision, e.reason, e.emergencyAccessId, e.operationName, e.clientName,
        e.requestId, e.clientRequestId, e.rulesVersion, e.filters, e.prevHash, e.hash,
      ],
    ]);
  }
  const last = events.at(-1);
  if (last) runs.push(['moveHead', [last.seq, last.hash]]);
  return runs;
}

const headAfter = (start: ChainHeadState, events: readonly EventToStore[]): ChainHeadState => {
  const last = events.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : start;
};
