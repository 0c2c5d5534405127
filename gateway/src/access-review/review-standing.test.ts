import { describe, expect, it } from 'vitest';
import type { StaffMember } from '../policy/policy-client.js';
import { reviewIntervalBefore, reviewStanding } from './access-review.js';
import type { SignOff, AccessReviewDecision } from './sign-offs.js';

// Where an employee stands in the yearly review: pure rules, in memory.

const asOf = new Date('2026-12-01T17:00:00Z');
const nurse = (terminationDate: string | null = null): StaffMember => ({ id: 'e-x', role: 'NURSE', hireDate: '2020-01-01', terminationDate });
const signOff = (at: string, decision: AccessReviewDecision = 'KEEP'): SignOff => ({
  register: 'access-review-sign-offs', seq: 1, id: `ars-${at}`, at: new Date(at), subjectId: 'e-x', prevHash: '', hash: '',
  entry: { employeeId: 'e-x', role: 'NURSE', decision, note: 'n', reviewerId: 'e-po', reviewerRole: 'PRIVACY_OFFICER' },
});

describe('an employee\'s standing in the yearly access review', () => {
  it('is overdue without a sign-off, or with one 12 months old or more; not with a newer one', () => {
    expect(reviewStanding(nurse(), asOf, [])).toMatchObject({ employed: true, underReview: true, lastSignOff: null, overdue: true });
    expect(reviewIntervalBefore(asOf).toISOString()).toBe('2025-12-01T17:00:00.000Z');
    expect(reviewStanding(nurse(), asOf, [signOff('2025-12-01T17:00:00Z')]).overdue).toBe(true);
    expect(reviewStanding(nurse(), asOf, [signOff('2025-12-01T17:00:01Z')]).overdue).toBe(false);
  });

  it('ignores sign-offs after the review\'s instant and takes the newest before it', () => {
    const standing = reviewStanding(nurse(), asOf, [signOff('2026-12-02T10:00:00Z'), signOff('2026-06-01T10:00:00Z', 'REDUCE')]);
    expect(standing.lastSignOff?.entry.decision).toBe('REDUCE');
    expect(standing.overdue).toBe(false);
  });

  it('keeps a former employee under review until a REVOKE sign-off on or after the day their employment ended', () => {
    expect(reviewStanding(nurse('2026-11-01'), asOf, [])).toMatchObject({ employed: false, underReview: true, overdue: true });
    // Revoked before they left, or kept on the day they left: still to be confirmed.
    expect(reviewStanding(nurse('2026-11-01'), asOf, [signOff('2026-10-31T15:00:00Z', 'REVOKE')]).underReview).toBe(true);
    expect(reviewStanding(nurse('2026-11-01'), asOf, [signOff('2026-11-01T15:00:00Z', 'KEEP')]).underReview).toBe(true);
    expect(reviewStanding(nurse('2026-11-01'), asOf, [signOff('2026-11-01T15:00:00Z', 'REVOKE')]).underReview).toBe(false);
    // Employment ending after the review's day: still employed then.
    expect(reviewStanding(nurse('2026-12-02'), asOf, [signOff('2026-11-20T15:00:00Z', 'REVOKE')])).toMatchObject({ employed: true, underReview: true });
  });
});
