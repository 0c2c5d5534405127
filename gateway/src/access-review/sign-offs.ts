import type { Role } from '@clinic/schema';
import type { ChainedEntry, ChainedRegister, ChainedRegisters, RegisterStatus } from '../audit-store/chained-register.js';

/** What the privacy officer decides about an employee's access at a yearly review. */
export const ACCESS_REVIEW_DECISIONS = ['KEEP', 'REDUCE', 'REVOKE'] as const;
export type AccessReviewDecision = (typeof ACCESS_REVIEW_DECISIONS)[number];

/** The register's name in the audit store (one hash chain of its own) and its entries' id prefix. */
export const SIGN_OFF_REGISTER = 'access-review-sign-offs';
const SIGN_OFF_ID_PREFIX = 'ars';

/** One sign-off as the register keeps it: professional information only (ids, roles, the decision and its note). */
export interface SignOffEntry {
  employeeId: string;
  /** The employee's role when reviewed. */
  role: Role;
  decision: AccessReviewDecision;
  note: string;
  /** The verified viewer who signed (never an argument). */
  reviewerId: string;
  reviewerRole: Role;
}

export type SignOff = ChainedEntry<SignOffEntry>;

/**
 * The yearly access review's sign-offs (issue 15): appended to a tamper-evident, hash-chained
 * register of the audit store (audit-store/chained-register.ts), one entry per sign-off, about the
 * employee reviewed (its subject). Never edited: a later review appends a new entry.
 */
export class AccessReviewSignOffs {
  private readonly register: ChainedRegister<SignOffEntry>;

  constructor(registers: ChainedRegisters) {
    this.register = registers.open<SignOffEntry>(SIGN_OFF_REGISTER, SIGN_OFF_ID_PREFIX);
  }

  sign(entry: SignOffEntry, at: Date): Promise<SignOff> {
    return this.register.append(entry, { at, subjectId: entry.employeeId });
  }

  /** The sign-offs of these employees, newest first, by employee: one statement. */
  async of(employeeIds: readonly string[]): Promise<Map<string, SignOff[]>> {
    const out = new Map<string, SignOff[]>(employeeIds.map((id) => [id, []]));
    if (employeeIds.length === 0) return out;
    for (const signOff of await this.register.list({ subjectIds: employeeIds, newestFirst: true })) out.get(signOff.entry.employeeId)?.push(signOff);
    return out;
  }

  verify(): Promise<RegisterStatus> {
    return this.register.verify();
  }
}
