import type { Database } from '@clinic/service-kit';
import type { ReviewQueue } from '../audit-store/review-queue.js';
import { toDate, toFields } from '../audit-store/stored-values.js';
import { detectCases, type PatientWatchFacts, type ReaderFacts, type WatchedRead, type WatchFacts } from './read-patterns.js';
import type { WatchSettings } from './watch-settings.js';

/** Where the watch learns who is linked to whom: the subgraphs' `watch-facts` endpoints (policy-client.ts). */
export interface WatchFactsSource {
  watchFacts(patientIds: readonly string[], employeeIds: readonly string[]): Promise<{ patients: Record<string, PatientWatchFacts>; employees: Record<string, ReaderFacts> }>;
}

/** Events read per step: the facts of a step are loaded in one call per subgraph. */
const PAGE_EVENTS = 500;
/** Ids per facts call (the subgraphs' internal endpoints take at most 1000). */
const FACTS_BATCH = 1000;

type Row = Record<string, unknown>;

const READ_COLUMNS = 'e.seq, e.at, e.actor_id, e.role, e.fields, p.patient_id';
/**
 * Allowed accesses of staff, one row per patient. Not watched: a patient reading their own record,
 * and the privacy officer, whose queue this is (their accesses stay in the audit log for whoever
 * oversees them).
 */
const STAFF_READS =
  "from audit_event e join audit_event_patient p on p.event_seq = e.seq where e.decision = 'ALLOW' and e.actor_id is not null and e.role not in ('PATIENT', 'PRIVACY_OFFICER')";

function toRead(r: Row): WatchedRead {
  return { seq: Number(r.seq), at: toDate(r.at), actorId: String(r.actor_id), role: String(r.role), patientId: String(r.patient_id), fields: toFields(r.fields) };
}

/**
 * The watch over allowed reads (issue 15). It runs off the request path: a periodic job of each
 * replica and the privacy officer's `reviewItems` (which catches up first), never inside a request
 * that reads patients. It reads the audit log from where it stopped (`watch_cursor`), opens the
 * review items the patterns find (one per case: replicas and re-runs cannot duplicate them), then
 * moves the cursor. A failed step leaves the cursor, so the next run does it again.
 */
export class ReadWatch {
  private running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly db: Database,
    private readonly queue: ReviewQueue,
    private readonly facts: WatchFactsSource,
    private readonly settings: WatchSettings,
  ) {}

  /** Reads the log up to its head; resolves with the number of items opened. Runs one at a time per replica. */
  scan(): Promise<number> {
    const next = this.running.catch(() => 0).then(() => this.scanToHead());
    this.running = next;
    return next;
  }

  /** Resolves once the scan under way (if any) is done, whatever its outcome. */
  async settled(): Promise<void> {
    await this.running.catch(() => 0);
  }

  private async scanToHead(): Promise<number> {
    const connection = this.db.fork().getConnection('write');
    const [head] = await connection.execute<{ last_seq: number | string }[]>('select last_seq from audit_chain_head where id = 1');
    const headSeq = Number(head?.last_seq ?? 0);
    let [cursor] = await connection.execute<{ last_seq: number | string }[]>('select last_seq from watch_cursor where id = 1');
    let from = Number(cursor?.last_seq ?? 0);
    let opened = 0;
    while (from < headSeq) {
      const to = Math.min(from + PAGE_EVENTS, headSeq);
      opened += await this.scanRange(from, to);
      await connection.execute('update watch_cursor set last_seq = ? where id = 1 and last_seq < ?', [to, to]);
      [cursor] = await connection.execute<{ last_seq: number | string }[]>('select last_seq from watch_cursor where id = 1');
      from = Math.max(to, Number(cursor?.last_seq ?? to));
    }
    return opened;
  }

  /** Events in (from, to]: their reads, the readers' earlier reads in the bulk window, the facts, the cases. Four statements and two calls. */
  private async scanRange(from: number, to: number): Promise<number> {
    const connection = this.db.fork().getConnection('read');
    const reads = (await connection.execute<Row[]>(`select ${READ_COLUMNS} ${STAFF_READS} and e.seq > ? and e.seq <= ?`, [from, to])).map(toRead);
    if (reads.length === 0) return 0;
    const actorIds = [...new Set(reads.map((r) => r.actorId))];
    const earliest = Math.min(...reads.map((r) => r.at.getTime()));
    const since = this.db.fork().getPlatform().processDateProperty(new Date(earliest - this.settings.bulkWindowMinutes * 60_000));
    const earlier = (
      await connection.execute<Row[]>(`select ${READ_COLUMNS} ${STAFF_READS} and e.seq <= ? and e.at >= ? and e.actor_id in (${actorIds.map(() => '?').join(', ')})`, [
        from,
        since,
        ...actorIds,
      ])
    ).map(toRead);
    const patientIds = [...new Set(reads.map((r) => r.patientId))];
    const patients = new Map<string, PatientWatchFacts>();
    const readers = new Map<string, ReaderFacts>();
    // The subgraphs answer at most FACTS_BATCH ids a call: one call each for a usual step.
    for (let i = 0; i < Math.max(patientIds.length, actorIds.length); i += FACTS_BATCH) {
      const known = await this.facts.watchFacts(patientIds.slice(i, i + FACTS_BATCH), actorIds.slice(i, i + FACTS_BATCH));
      for (const [id, f] of Object.entries(known.patients)) patients.set(id, f);
      for (const [id, f] of Object.entries(known.employees)) readers.set(id, f);
    }
    const facts: WatchFacts = { patients, readers };
    // Earlier reads are there for the bulk window; their own cases, named the same, were opened already.
    const cases = detectCases([...earlier, ...reads], facts, this.settings);
    return this.queue.openCases(cases);
  }
}
