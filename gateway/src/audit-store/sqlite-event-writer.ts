import { setTimeout as delay } from 'node:timers/promises';
import Libsql from 'libsql';
import type { PendingAppend } from './audit-entry.js';
import { chainEvents } from './chain-events.js';
import { CURRENT_EVENT_FORMAT } from './chain-hash.js';
import { auditStoreClosed, type AuditEventWriter } from './event-writer.js';

/** How long an append waits for another connection's write lock (another replica's append) before it fails. */
const LOCK_WAIT_MS = 10_000;

const isBusy = (err: unknown) => (err as { code?: string }).code?.startsWith('SQLITE_BUSY') ?? false;

/**
 * SQLite appends through libsql's synchronous prepared statements (better-sqlite3's API, prebuilt
 * binaries, no install script), prepared once on the writer's own connection. The transaction runs
 * in one synchronous stretch once the write lock is taken, so nothing else in this process can run
 * in the middle of it; waiting for a lock another connection holds is done asynchronously, never by
 * blocking the event loop (this process's other connection, MikroORM's, may be the one holding it).
 */
export class SqliteEventWriter implements AuditEventWriter {
  private readonly db: Libsql.Database;
  private readonly begin: Libsql.Statement;
  private readonly readHead: Libsql.Statement;
  private readonly insertEvent: Libsql.Statement;
  private readonly insertPatients: Libsql.Statement;
  private readonly insertFields: Libsql.Statement;
  private readonly moveHead: Libsql.Statement;
  private readonly commit: Libsql.Statement;
  private readonly rollback: Libsql.Statement;

  constructor(
    file: string,
    private readonly countStatements: (n: number) => void,
  ) {
    this.db = new Libsql(file);
    // Lock waits are handled in lock(), asynchronously.
    this.db.pragma('busy_timeout = 0');
    this.begin = this.db.prepare('begin immediate');
    this.readHead = this.db.prepare('select last_seq, last_hash from audit_chain_head where id = 1');
    this.insertEvent = this.db.prepare(
      'insert into audit_event (seq, id, at, actor_id, role, fields, decision, reason, emergency_access_id, operation_name, client_name, request_id, client_request_id, rules_version, filters, format, prev_hash, hash) ' +
        `values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${CURRENT_EVENT_FORMAT}, ?, ?)`,
    );
    // One statement per event whatever its number of patients: the list travels as one JSON value.
    this.insertPatients = this.db.prepare('insert into audit_event_patient (event_seq, patient_id) select ?, value from json_each(?)');
    // The field index of a whole batch in one statement: [seq, field] pairs as one JSON value.
    this.insertFields = this.db.prepare("insert or ignore into audit_event_field (event_seq, field) select value ->> '$[0]', value ->> '$[1]' from json_each(?)");
    this.moveHead = this.db.prepare('update audit_chain_head set last_seq = ?, last_hash = ? where id = 1');
    this.commit = this.db.prepare('commit');
    this.rollback = this.db.prepare('rollback');
  }

  async append(batch: readonly PendingAppend[]): Promise<void> {
    await this.lock();
    let statements = 1;
    try {
      const head = this.readHead.get() as { last_seq: number; last_hash: string } | undefined;
      statements += 1;
      if (!head) throw new Error('audit log: the chain head is missing');
      const events = chainEvents({ seq: Number(head.last_seq), hash: head.last_hash }, batch);
      for (const e of events) {
        this.insertEvent.run(
          e.seq, e.id, e.at.getTime(), e.actorId, e.role, JSON.stringify(e.fields), e.decision, e.reason, e.emergencyAccessId,
          e.operationName, e.clientName, e.requestId, e.clientRequestId, e.rulesVersion, e.filters, e.prevHash, e.hash,
        );
        statements += 1;
        if (e.patientIds.length > 0) {
          this.insertPatients.run(e.seq, JSON.stringify(e.patientIds));
          statements += 1;
        }
      }
      const fieldPairs = events.flatMap((e) => e.fields.map((field) => [e.seq, field]));
      if (fieldPairs.length > 0) {
        this.insertFields.run(JSON.stringify(fieldPairs));
        statements += 1;
      }
      const last = events.at(-1);
      if (last) {
        this.moveHead.run(last.seq, last.hash);
        statements += 1;
      }
      this.commit.run();
      this.countStatements(statements + 1);
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
    if (this.db.open) this.db.close();
  }
}
