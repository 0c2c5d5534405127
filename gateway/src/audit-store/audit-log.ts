import { v7 as timeOrderedUuid } from 'uuid';
import type { Database, SqlEntityManager } from '@clinic/service-kit';
import { chainHash, GENESIS_HASH } from './chain-hash.js';
import { AuditChainHead, AuditEvent } from './entities.js';
import { groupCommit } from './group-commit.js';
import { openRepeatedDenialIncidents } from './incident-register.js';

/** One event of a request: one decision group (decision, reason, fields, emergency access) and its patients. */
export interface AuditEntry {
  actorId: string | null;
  role: string | null;
  patientIds: string[];
  fields: string[];
  decision: 'ALLOW' | 'DENY';
  reason: string | null;
  emergencyAccessId: string | null;
  operationName: string | null;
  clientName: string | null;
  requestId: string | null;
}

export type ChainStatus = { ok: true; events: number; firstBrokenEventId: null } | { ok: false; events: number; firstBrokenEventId: string };

export interface AuditQuery {
  patientId?: string | undefined;
  actorId?: string | undefined;
  first: number;
}

const VERIFY_PAGE = 1000;

/** Rows per INSERT statement: far below SQLite's and PostgreSQL's limits on bound parameters. */
const INSERT_CHUNK = 500;

interface PendingAppend {
  entries: readonly AuditEntry[];
  at: Date;
}

/** The append-only, hash-chained audit log, shared by every gateway replica through its database. */
export class AuditLog {
  /** Write transactions so far (tests prove a request needs at most one). */
  private transactions = 0;
  private readonly submit = groupCommit<PendingAppend>((batch) => this.appendInOneTransaction(batch));

  constructor(private readonly db: Database) {}

  get writeTransactions(): number {
    return this.transactions;
  }

  /**
   * Appends a request's events, next to each other in the chain; resolves once they are committed.
   * Appends that arrive while another commits are written together in the next transaction.
   */
  async append(entries: readonly AuditEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return;
    await this.submit({ entries, at });
  }

  /**
   * One transaction for several requests' events. The chain head row is updated first, which locks
   * it (PostgreSQL row lock, SQLite write lock) until commit: appends of all replicas are serialized
   * and every event links to the one committed before it. Plain statements, not the unit of work:
   * this runs for every request that reads a patient's record.
   */
  private async appendInOneTransaction(batch: readonly PendingAppend[]): Promise<void> {
    this.transactions += 1;
    const em = this.db.fork();
    const connection = em.getConnection('write');
    await connection.transactional(async (trx) => {
      await connection.execute('update audit_chain_head set last_seq = last_seq where id = 1', [], 'run', trx);
      // PostgreSQL may answer an integer column as a string.
      type Head = { last_seq: number | string; last_hash: string };
      const head: Head | undefined = await connection.execute<Head>('select last_seq, last_hash from audit_chain_head where id = 1', [], 'get', trx);
      if (!head) throw new Error('audit log: the chain head is missing');
      let seq = Number(head.last_seq);
      let prevHash = head.last_hash;
      const rows: AuditEvent[] = [];
      for (const { entries, at } of batch) {
        for (const { patientIds, ...entry } of entries) {
          for (const patientId of patientIds) {
            seq += 1;
            // Time-ordered ids: each event lands at the end of the id index instead of on a random page.
            const content = { ...entry, patientId, seq, id: timeOrderedUuid(), at, prevHash };
            const hash = chainHash(content);
            rows.push({ ...content, hash });
            prevHash = hash;
          }
        }
      }
      em.setTransactionContext(trx);
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await em.insertMany(AuditEvent, rows.slice(i, i + INSERT_CHUNK));
      await connection.execute('update audit_chain_head set last_seq = ?, last_hash = ? where id = 1', [seq, prevHash], 'run', trx);
      for (const { entries, at } of batch) await openRepeatedDenialIncidents(em, entries, at);
    });
  }

  /**
   * Recomputes the chain in order up to the head as it stands when the check starts (events other
   * replicas append meanwhile are checked next time); reports the first event whose link or content
   * was altered, or the end of the chain when events were removed from it.
   */
  async verify(): Promise<ChainStatus> {
    const em = this.db.fork();
    const head = await em.findOneOrFail(AuditChainHead, { id: 1 });
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let events = 0;
    while (expectedSeq <= head.lastSeq) {
      const page = await em.find(AuditEvent, { seq: { $gte: expectedSeq, $lte: head.lastSeq } }, { orderBy: { seq: 'asc' }, limit: VERIFY_PAGE });
      if (page.length === 0) break;
      for (const event of page) {
        const broken = event.seq !== expectedSeq || event.prevHash !== prevHash || chainHash(event) !== event.hash;
        if (broken) return { ok: false, events: events + 1, firstBrokenEventId: event.id };
        prevHash = event.hash;
        expectedSeq += 1;
        events += 1;
      }
      em.clear();
    }
    if (events !== head.lastSeq || prevHash !== head.lastHash) {
      // Events were removed from the end: the head still remembers them.
      return { ok: false, events, firstBrokenEventId: `after-seq-${events}` };
    }
    return { ok: true, events, firstBrokenEventId: null };
  }

  /** Most recent first. */
  async list(query: AuditQuery): Promise<AuditEvent[]> {
    const where = {
      ...(query.patientId ? { patientId: query.patientId } : {}),
      ...(query.actorId ? { actorId: query.actorId } : {}),
    };
    return this.db.fork().find(AuditEvent, where, { orderBy: { seq: 'desc' }, limit: query.first });
  }

  /** Staff reads of one patient's record (ALLOW events of other actors than the patient), most recent first. */
  async staffReadsOf(em: SqlEntityManager, patientIds: readonly string[]): Promise<AuditEvent[]> {
    return em.find(
      AuditEvent,
      { patientId: { $in: [...patientIds] }, decision: 'ALLOW', role: { $ne: 'PATIENT' } },
      { orderBy: { seq: 'desc' } },
    );
  }
}
