import { clinicDayOf } from '@clinic/schema';
import type { PolicyClient, ViewerStatus } from '../policy/policy-client.js';

/** Answers kept at most: past it the oldest are forgotten (a new day brings new keys). */
const KEPT_AT_MOST = 10_000;

/**
 * The employment check of a staff token (SPEC §3: a token for an employee whose employment ended
 * is refused), asked of the employee subgraph and reused for at most `recheckMs` milliseconds.
 * The employee's record says whether they are employed on a clinic day, so an answer is kept for
 * that day only: a hire or termination date reached takes effect on the first request of the day.
 * A change written to the employee database takes effect within `recheckMs` (0: every request
 * asks). Concurrent requests of one employee share the look-up under way. A look-up that fails is
 * not kept: the request is refused as unavailable, and the next one asks again.
 */
export class EmploymentCheck {
  private readonly answers = new Map<string, { status: ViewerStatus; asked: number }>();
  private readonly underWay = new Map<string, Promise<ViewerStatus>>();

  constructor(
    private readonly policy: Pick<PolicyClient, 'employeeStatus'>,
    private readonly recheckMs: number,
    /** A monotonic clock in milliseconds (the wall clock can be set back). */
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  statusOf(employeeId: string, now: Date): Promise<ViewerStatus> {
    if (this.recheckMs <= 0) return this.policy.employeeStatus(employeeId, now);
    const day = clinicDayOf(now);
    const key = `${employeeId}|${day}`;
    const kept = this.answers.get(key);
    if (kept && this.monotonic() - kept.asked < this.recheckMs) return Promise.resolve(kept.status);
    let pending = this.underWay.get(key);
    if (!pending) {
      const asked = this.monotonic();
      pending = this.policy
        .employeeStatus(employeeId, now)
        .then((status) => {
          if (this.answers.size >= KEPT_AT_MOST) this.answers.clear();
          this.answers.set(key, { status, asked });
          return status;
        })
        .finally(() => this.underWay.delete(key));
      this.underWay.set(key, pending);
    }
    return pending;
  }
}
