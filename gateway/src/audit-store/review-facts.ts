import type { Database } from '@clinic/service-kit';
import { patientsIn, toDate, toFields } from './stored-values.js';

/** A refused access of one employee, as the yearly access review lists it: one row per event. */
export interface ReviewRefusal {
  eventId: string;
  at: Date;
  reason: string | null;
  fields: string[];
  patientIds: string[];
}

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
      .execute<{ id: string; at: unknown; actor_id: string; reason: string | null; fields: unknown; patient_ids: unknown }[]>(
        'select e.id, e.at, e.actor_id, e.reason, e.fields, e.patient_ids from audit_event e ' +
          `where e.actor_id in (${marks(actorIds.length)}) and e.decision = 'DENY' and e.at >= ? and e.at <= ? order by e.seq`,
        [...actorIds, platform.processDateProperty(from), platform.processDateProperty(to)],
      );
    for (const row of rows) {
      out.get(row.actor_id)?.push({ eventId: row.id, at: toDate(row.at), reason: row.reason, fields: toFields(row.fields), patientIds: patientsIn(row.patient_ids) ?? [] });
    }
    return out;
  }
}
