import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { Database } from '@clinic/service-kit';
import { clinicDayOf } from '@clinic/schema';

/**
 * Two-factor use of each employee, for the yearly access review (issue 15). Audit events do not
 * record how the reader authenticated, and only requests touching patient information write them;
 * this record does, for every staff request the gateway honours: one row per employee, clinic day
 * and kind of authentication (with or without two-factor), written the first time a replica sees
 * it that day. At most two rows per employee and day; nothing of the request itself.
 */
export const StaffSignInDay = defineEntity({
  name: 'StaffSignInDay',
  tableName: 'staff_sign_in_day',
  properties: (p) => ({
    employeeId: p.string().primary(),
    day: p.string().primary(),
    mfa: p.boolean().primary(),
    firstAt: p.datetime(),
  }),
});
export type StaffSignInDay = InferEntity<typeof StaffSignInDay>;

/** An employee's two-factor use over a period: days with requests by each kind of authentication, and the last day of each. */
export interface TwoFactorUse {
  daysWithMfa: number;
  daysWithoutMfa: number;
  lastDayWithMfa: string | null;
  lastDayWithoutMfa: string | null;
}

/** Keys this process already wrote; a new day brings new keys, so the set is cleared when it grows. */
const SEEN_LIMIT = 10_000;

export class StaffSignIns {
  private readonly seen = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly db: Database) {}

  /**
   * Notes a staff request's authentication: one statement the first time this process sees
   * (employee, day, mfa). Concurrent requests of the same key share that statement (a burst of one
   * employee's requests is one insert, not one per request contending for the store's write lock).
   */
  note(viewer: { id: string; mfa: boolean }, at: Date): Promise<void> {
    const day = clinicDayOf(at);
    const key = `${viewer.id}|${day}|${viewer.mfa ? 1 : 0}`;
    if (this.seen.has(key)) return Promise.resolve();
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.db
        .fork()
        .createQueryBuilder(StaffSignInDay)
        .insert({ employeeId: viewer.id, day, mfa: viewer.mfa, firstAt: at })
        .onConflict()
        .ignore()
        .execute()
        .then(() => {
          if (this.seen.size >= SEEN_LIMIT) this.seen.clear();
          this.seen.add(key);
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Two-factor use of each employee between two clinic days (inclusive): one statement for all of them. */
  async use(employeeIds: readonly string[], fromDay: string, toDay: string): Promise<Map<string, TwoFactorUse>> {
    const out = new Map(employeeIds.map((id) => [id, { daysWithMfa: 0, daysWithoutMfa: 0, lastDayWithMfa: null, lastDayWithoutMfa: null } as TwoFactorUse]));
    if (employeeIds.length === 0) return out;
    const rows = await this.db.fork().find(StaffSignInDay, { employeeId: { $in: [...employeeIds] }, day: { $gte: fromDay, $lte: toDay } }, { orderBy: { day: 'asc' } });
    for (const row of rows) {
      const use = out.get(row.employeeId);
      if (!use) continue;
      if (row.mfa) {
        use.daysWithMfa += 1;
        use.lastDayWithMfa = row.day;
      } else {
        use.daysWithoutMfa += 1;
        use.lastDayWithoutMfa = row.day;
      }
    }
    return out;
  }
}
