import type { Database } from '@clinic/service-kit';

/** A refused access of one employee, as the yearly access review lists it: one row per event. */
export interface ReviewRefusal {
  eventId: string;
  at: Date;
  reason: string | null;
  fields: string[];
  patientIds: string[];
}

// The two backends answer in their own types: SQLite epoch milliseconds and JSON text, PostgreSQL Date and parsed JSON.
const toDate = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as number | string)));
const toFields = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as string[]) : (v as string[]));
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * What the audit log tells the yearly access review about many employees at once (issue 15): when
 * each last did something the log records, and their refusals over a period. One statement each,
 * whatever the number of employees (the index on actor and time answers both).
 */
export class ReviewFacts {
  constructor(private readonly db: Database) {}

  /** Each employee's last audit event at or before `until` (absent when they have none). */
  async lastActivity(actorIds: readonly string[], until: Date): Promise<Map<string, Date>> {
    if (actorIds.length === 0) return new Map();
    const em = this.db.fork();
    const rows = await em
      .getConnection('read')
      .execute<{ actor_id: string; last_at: unknown }[]>(
        `select actor_id, max(at) as last_at from audit_event where actor_id in (${marks(actorIds.length)}) and at <= ? group by actor_id`,
        [...actorIds, em.getPlatform().processDateProperty(until)],
      );
    return new Map(rows.filter((r) => r.last_at !== null).map((r) => [r.actor_id, toDate(r.last_at)]));
  }

  /** Each employee's refused accesses (DENY events) between `from` and `to` inclusive, in the order they happened. */
  async refusals(actorIds: readonly string[], from: Date, to: Date): Promise<Map<string, ReviewRefusal[]>> {
    const out = new Map<string, ReviewRefusal[]>(actorIds.map((id) => [id, []]));
    if (actorIds.length === 0) return out;
    const em = this.db.fork();
    const platform = em.getPlatform();
    const rows = await em
      .getConnection('read')
      .execute<{ seq: unknown; id: string; at: unknown; actor_id: string; reason: string | null; fields: unknown; patient_id: string | null }[]>(
        'select e.seq, e.id, e.at, e.actor_id, e.reason, e.fields, p.patient_id from audit_event e left join audit_event_patient p on p.event_seq = e.seq ' +
          `where e.actor_id in (${marks(actorIds.length)}) and e.decision = 'DENY' and e.at >= ? and e.at <= ? order by e.seq, p.patient_id`,
        [...actorIds, platform.processDateProperty(from), platform.processDateProperty(to)],
      );
    const bySeq = new Map<number, ReviewRefusal & { actorId: string }>();
    for (const row of rows) {
      const seq = Number(row.seq);
      let refusal = bySeq.get(seq);
      if (!refusal) {
        refusal = { eventId: row.id, at: toDate(row.at), reason: row.reason, fields: toFields(row.fields), patientIds: [], actorId: row.actor_id };
        bySeq.set(seq, refusal);
        out.get(row.actor_id)?.push(refusal);
      }
      if (row.patient_id) refusal.patientIds.push(row.patient_id);
    }
    for (const list of out.values()) for (const r of list) delete (r as Partial<ReviewRefusal & { actorId: string }>).actorId;
    return out;
  }
}
