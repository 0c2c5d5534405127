import { randomUUID } from 'node:crypto';
import type { Database, SqlEntityManager } from '@clinic/service-kit';
import { chainHash, GENESIS_HASH } from './chain-hash.js';
import { AuditChainHead, AuditEvent } from './entities.js';
import { openRepeatedDenialIncidents } from './incident-register.js';

/** What a request reports about one patient: one event per patient and decision (fields grouped). */
export interface AuditEntry {
  actorId: string | null;
  role: string | null;
  patientId: string | null;
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

/** The append-only, hash-chained audit log, shared by every gateway replica through its database. */
export class AuditLog {
  /** Write transactions so far (tests prove one per request). */
  private transactions = 0;

  constructor(private readonly db: Database) {}

  get writeTransactions(): number {
    return this.transactions;
  }

  /**
   * Appends a request's events in one transaction. The chain head row is updated first, which locks
   * it (PostgreSQL row lock, SQLite write lock) until commit: appends of all replicas are serialized
   * and every event links to the one committed before it.
   */
  async append(entries: readonly AuditEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return;
    this.transactions += 1;
    await this.db.fork().transactional(async (em) => {
      await em.execute('update audit_chain_head set last_seq = last_seq where id = 1');
      const head = await em.findOneOrFail(AuditChainHead, { id: 1 }, { refresh: true });
      let { lastSeq: seq, lastHash: prevHash } = head;
      for (const entry of entries) {
        seq += 1;
        const content = { ...entry, seq, id: randomUUID(), at, prevHash };
        const hash = chainHash(content);
        em.create(AuditEvent, { ...content, hash });
        prevHash = hash;
      }
      head.lastSeq = seq;
      head.lastHash = prevHash;
      await em.flush();
      await openRepeatedDenialIncidents(em, entries, at);
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
