import type { Database } from '@clinic/service-kit';
import type { AuditEntry, PendingAppend } from './audit-entry.js';
import { chainHash, EVENT_FORMAT, GENESIS_HASH, type EventFormat } from './chain-hash.js';
import type { AuditEventWriter } from './event-writer.js';
import { groupCommit } from './group-commit.js';
import { bindTwice, CHAIN_HEAD_WITH_LOOKUP_CHECK, EVENTS_NAMING_FIELD, eventsNamingPatients } from './event-lookups.js';
import { patientsIn, toDate, toFields } from './stored-values.js';

export type { AuditEntry } from './audit-entry.js';

/**
 * One event as the log is read (`auditLog`, `Patient.accessLog`): an event naming several patients
 * reads as one row per patient, each with its `patientId` and the event's `id`.
 */
export interface AuditEventRow {
  seq: number;
  id: string;
  at: Date;
  actorId: string | null;
  role: string | null;
  patientId: string | null;
  fields: string[];
  decision: string;
  reason: string | null;
  emergencyAccessId: string | null;
  operationName: string | null;
  clientName: string | null;
  requestId: string | null;
  clientRequestId: string | null;
  /** The version of the rules that decided (events written before rules were versioned have none). */
  rulesVersion: string | null;
  /** For a search or export of the log by the privacy officer: what it asked for (JSON). */
  filters: string | null;
}

/** One event with every patient it names (the FHIR AuditEvent model), as exports read it. */
export interface AuditEventRecord extends Omit<AuditEventRow, 'patientId'> {
  /** Sorted. */
  patientIds: string[];
}

export type ChainStatus = { ok: true; events: number; firstBrokenEventId: null } | { ok: false; events: number; firstBrokenEventId: string };

/** What a search of the log may ask for; every filter optional, all of them must hold. */
export interface AuditFilters {
  patientId?: string | undefined;
  actorId?: string | undefined;
  /** Events at or after this instant. */
  from?: Date | undefined;
  /** Events strictly before this instant. */
  to?: Date | undefined;
  decision?: 'ALLOW' | 'DENY' | undefined;
  reason?: string | undefined;
  /** Events that name this field (`Patient.phone`). */
  field?: string | undefined;
}

/** Where a page of rows ends: the event and the patient of its last row ('' for an event naming none). */
export interface RowPosition {
  seq: number;
  patientId: string;
}

export interface AuditQuery extends AuditFilters {
  /** Rows (one per event and patient), most recent first. */
  first: number;
  /** Only rows after this one (in that order): the position a cursor names. */
  after?: RowPosition | undefined;
}

/** What a committed append tells the work that follows it (repeated-refusal detection). */
export type AfterCommit = (committed: readonly { entries: readonly AuditEntry[]; at: Date }[]) => void;

const VERIFY_PAGE = 1000;

const EVENT_COLUMNS =
  'e.seq, e.id, e.at, e.actor_id, e.role, e.fields, e.decision, e.reason, e.emergency_access_id, e.operation_name, e.client_name, e.request_id, e.client_request_id, e.rules_version, e.filters';

type Row = Record<string, unknown>;

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toEventRow(r: Row, patientId: unknown): AuditEventRow {
  return {
    seq: Number(r.seq),
    id: String(r.id),
    at: toDate(r.at),
    actorId: text(r.actor_id),
    role: text(r.role),
    patientId: text(patientId),
    fields: toFields(r.fields),
    decision: String(r.decision),
    reason: text(r.reason),
    emergencyAccessId: text(r.emergency_access_id),
    operationName: text(r.operation_name),
    clientName: text(r.client_name),
    requestId: text(r.request_id),
    clientRequestId: text(r.client_request_id),
    rulesVersion: text(r.rules_version),
    filters: text(r.filters),
  };
}

/** Code-unit order, the order the chain sorts patients in (never a database collation's). */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The append-only, hash-chained audit log, shared by every gateway replica through its database. */
export class AuditLog {
  /** Write transactions so far (tests prove a request needs at most one). */
  private transactions = 0;
  private readonly submit = groupCommit<PendingAppend>((batch) => this.appendInOneTransaction(batch));

  constructor(
    private readonly db: Database,
    private readonly writer: AuditEventWriter,
    private readonly afterCommit: AfterCommit = () => undefined,
  ) {}

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
   * One transaction for several requests' events, one hash per event (chain-events.ts). The writer
   * locks the chain head until commit: appends of all replicas are serialized and every event links
   * to the one committed before it. What follows a commit (incident detection) runs after it, unlocked.
   */
  private async appendInOneTransaction(batch: readonly PendingAppend[]): Promise<void> {
    this.transactions += 1;
    await this.writer.append(batch);
    this.afterCommit(batch);
  }

  /**
   * Recomputes the chain in order up to the head as it stands when the check starts (events other
   * replicas append meanwhile are checked next time); reports the first event whose link, content
   * or patients were altered, or the end of the chain when events were removed from it.
   */
  async verify(): Promise<ChainStatus> {
    const connection = this.db.fork().getConnection('read');
    const [head] = await connection.execute<{ last_seq: number | string; last_hash: string; lookup_broken: number | string | null }[]>(CHAIN_HEAD_WITH_LOOKUP_CHECK);
    if (!head) throw new Error('audit log: the chain head is missing');
    const lastSeq = Number(head.last_seq);
    const lookupBroken = head.lookup_broken === null || head.lookup_broken === undefined ? null : Number(head.lookup_broken);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let events = 0;
    while (expectedSeq <= lastSeq) {
      const page = await connection.execute<Row[]>(
        `select ${EVENT_COLUMNS}, e.patient_id, e.patient_ids, e.format, e.prev_hash, e.hash from audit_event e where e.seq >= ? and e.seq <= ? order by e.seq limit ${VERIFY_PAGE}`,
        [expectedSeq, lastSeq],
      );
      if (page.length === 0) break;
      for (const row of page) {
        const seq = Number(row.seq);
        const intact =
          seq === expectedSeq &&
          row.prev_hash === prevHash &&
          hashMatches(row) &&
          seq !== lookupBroken;
        if (!intact) return { ok: false, events: events + 1, firstBrokenEventId: String(row.id) };
        prevHash = String(row.hash);
        expectedSeq += 1;
        events += 1;
      }
    }
    if (events !== lastSeq || prevHash !== head.last_hash || (lookupBroken !== null && lookupBroken > lastSeq)) {
      // Events were removed from the end: the head still remembers them.
      return { ok: false, events, firstBrokenEventId: `after-seq-${events}` };
    }
    return { ok: true, events, firstBrokenEventId: null };
  }

  /** Indexes by patient and by field every event appended so far (the writers also do it on their own, in batches). */
  indexLookups(): Promise<void> {
    return this.writer.indexLookups();
  }

  /**
   * Most recent first, one row per event and patient (an event naming none is one row without
   * one), after the cursor's row when given. One statement whatever the page, driven by the patient
   * or field index when one is named.
   */
  async list(query: AuditQuery): Promise<AuditEventRow[]> {
    const after = query.after;
    // One more event than rows asked: the cursor's own event may have no row left after it.
    const events = await this.search(query, { order: 'desc', limit: query.first + 1, patients: 'filtered', ...(after ? { fromSeq: after.seq } : {}) });
    const rows: AuditEventRow[] = [];
    for (const { patientIds, ...event } of events) {
      const named = query.patientId ? [query.patientId] : patientIds.length ? patientIds : [null];
      for (const patientId of named) {
        if (after && event.seq === after.seq && (patientId ?? '') <= after.patientId) continue;
        rows.push({ ...event, patientId });
        if (rows.length === query.first) return rows;
      }
    }
    return rows;
  }

  /**
   * Events matching the filters in chain order (`asc`) or most recent first (`desc`), starting at
   * `fromSeq` (inclusive) and never beyond `upToSeq`, each with all its patients (or, with
   * `patients: 'filtered'` and a patient filter, only that one). One statement.
   */
  async search(
    filters: AuditFilters,
    page: { order: 'asc' | 'desc'; limit: number; fromSeq?: number; upToSeq?: number; patients?: 'all' | 'filtered' },
  ): Promise<AuditEventRecord[]> {
    const em = this.db.fork();
    const connection = em.getConnection('read');
    const date = (d: Date) => em.getPlatform().processDateProperty(d);
    const joins: string[] = [];
    const where: string[] = [];
    const params: unknown[] = [];
    // The patient and field indexes drive the look-up when named.
    if (filters.patientId) {
      joins.push(`join ${eventsNamingPatients(1)} fp on fp.event_seq = e.seq`);
      params.push(...bindTwice([filters.patientId]));
    }
    if (filters.field) {
      joins.push(`join ${EVENTS_NAMING_FIELD} ff on ff.event_seq = e.seq`);
      params.push(...bindTwice([filters.field]));
    }
    const condition = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (filters.actorId) condition('e.actor_id = ?', filters.actorId);
    if (filters.from) condition('e.at >= ?', date(filters.from));
    if (filters.to) condition('e.at < ?', date(filters.to));
    if (filters.decision) condition('e.decision = ?', filters.decision);
    if (filters.reason) condition('e.reason = ?', filters.reason);
    if (page.fromSeq !== undefined) condition(page.order === 'desc' ? 'e.seq <= ?' : 'e.seq >= ?', page.fromSeq);
    if (page.upToSeq !== undefined) condition('e.seq <= ?', page.upToSeq);
    const onlyThePatient = page.patients === 'filtered' ? filters.patientId : undefined;
    const statement =
      `select ${EVENT_COLUMNS}${onlyThePatient ? '' : ', e.patient_ids'} from audit_event e ${joins.join(' ')}` +
      (where.length ? ` where ${where.join(' and ')}` : '') +
      ` order by e.seq ${page.order} limit ${Math.max(1, Math.floor(page.limit))}`;
    const rows = await connection.execute<Row[]>(statement, params);
    if (onlyThePatient) {
      return rows.map((r) => {
        const { patientId: _none, ...event } = toEventRow(r, null);
        return { ...event, patientIds: [onlyThePatient] };
      });
    }
    // Each event with all its patients, from its own row (an altered list reads as none; verify reports it).
    return rows.map((r) => {
      const { patientId: _none, ...event } = toEventRow(r, null);
      return { ...event, patientIds: [...(patientsIn(r.patient_ids) ?? [])].sort(byCodeUnit) };
    });
  }

  /** The last link of the chain as committed: how many events an export or a checkpoint covers. */
  async head(): Promise<{ seq: number; hash: string }> {
    const [head] = await this.db
      .fork()
      .getConnection('read')
      .execute<{ last_seq: number | string; last_hash: string }[]>('select last_seq, last_hash from audit_chain_head where id = 1');
    if (!head) throw new Error('audit log: the chain head is missing');
    return { seq: Number(head.last_seq), hash: head.last_hash };
  }

  /** The stored hashes of the events at these positions of the chain (checkpoints compare them). */
  async hashesAt(seqs: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    if (seqs.length === 0) return found;
    const rows = await this.db
      .fork()
      .getConnection('read')
      .execute<{ seq: number | string; hash: string }[]>(`select seq, hash from audit_event where seq in (${seqs.map(() => '?').join(', ')})`, [...seqs]);
    for (const row of rows) found.set(Number(row.seq), row.hash);
    return found;
  }

  /** Staff reads of patients' records (ALLOW events of other actors than patients), most recent first: one indexed look-up. */
  async staffReadsOf(patientIds: readonly string[]): Promise<AuditEventRow[]> {
    if (patientIds.length === 0) return [];
    const rows = await this.db
      .fork()
      .getConnection('read')
      .execute<Row[]>(
        `select ${EVENT_COLUMNS}, p.patient_id as entity_patient_id from ${eventsNamingPatients(patientIds.length)} p join audit_event e on e.seq = p.event_seq ` +
          `where e.decision = 'ALLOW' and e.role <> 'PATIENT' order by p.event_seq desc`,
        bindTwice(patientIds),
      );
    return rows.map((r) => toEventRow(r, r.entity_patient_id));
  }

  /** Closes the writer's connection: appends fail from now on (fail closed). */
  close(): Promise<void> {
    return this.writer.close();
  }
}

/**
 * An event's stored hash against its content, patients included (`patient_ids`, sorted). Format 1
 * events name their one patient in their own column too: the two must agree (the list is what
 * look-ups by patient read); format 2 and 3 events name theirs in the list only.
 */
function hashMatches(row: Row): boolean {
  const format = Number(row.format) as EventFormat;
  const legacyPatient = text(row.patient_id);
  const listed = patientsIn(row.patient_ids);
  if (!listed) return false;
  let patientIds: readonly string[];
  if (format === EVENT_FORMAT.perPatient) {
    patientIds = legacyPatient ? [legacyPatient] : [];
    if (listed.length !== patientIds.length || listed[0] !== patientIds[0]) return false;
  } else if (format === EVENT_FORMAT.manyPatients || format === EVENT_FORMAT.rulesVersioned) {
    if (legacyPatient !== null) return false;
    patientIds = [...listed].sort(byCodeUnit);
  } else {
    return false;
  }
  const e = toEventRow(row, null);
  return chainHash({ ...e, patientIds, prevHash: String(row.prev_hash) }, format) === row.hash;
}
