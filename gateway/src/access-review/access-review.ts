import { groupRows } from '@clinic/service-kit';
import { clinicDayOf, type Role } from '@clinic/schema';
import type { AuditStore } from '../audit-store/audit-store.js';
import type { ReviewRefusal } from '../audit-store/review-facts.js';
import type { TwoFactorUse } from '../audit-store/staff-sign-ins.js';
import type { DutyKind, PolicyClient, StaffDutiesAndRestrictions, StaffMember } from '../policy/policy-client.js';
import type { AccessReviewSignOffs, SignOff } from './sign-offs.js';

/** OPTMQ reviews staff access "une fois par année" (seed 003): a review older than this is overdue. */
export const REVIEW_INTERVAL_MONTHS = 12;
const DAY_MS = 86_400_000;

export interface ReviewDuty {
  kind: DutyKind;
  patientId: string;
  since: Date;
  /** When it ends or lapses unless renewed, when known. */
  until: Date | null;
  /** Whole days since it began, at the review's instant. */
  ageDays: number;
  detail: string;
}

export interface ReviewEmergencyAccess {
  id: string;
  patientId: string;
  openedAt: Date;
  expiresAt: Date;
  justification: string;
}

export interface EmployeeAccessReview {
  employeeId: string;
  role: Role;
  hireDate: string;
  terminationDate: string | null;
  /** Employed on the day of the review; a former employee is listed until a REVOKE sign-off after their employment ended. */
  employed: boolean;
  twoFactor: TwoFactorUse;
  lastActivityAt: Date | null;
  duties: ReviewDuty[];
  restrictions: StaffDutiesAndRestrictions['restrictions'];
  emergencyAccesses: ReviewEmergencyAccess[];
  refusals: ReviewRefusal[];
  lastSignOff: SignOff | null;
  /** No sign-off in the 12 months before the review's instant. */
  overdue: boolean;
}

export interface ReviewPeriod {
  /** The review's instant: duties and restrictions as they stand then; the period ends then. */
  asOf: Date;
  /** The period's start (emergency accesses, refusals, two-factor use): 12 months before `asOf` unless given. */
  since: Date;
}

/** `asOf` minus the review interval. */
export function reviewIntervalBefore(asOf: Date): Date {
  const d = new Date(asOf);
  d.setUTCMonth(d.getUTCMonth() - REVIEW_INTERVAL_MONTHS);
  return d;
}

const employedOn = (e: StaffMember, day: string) => e.hireDate <= day && (e.terminationDate === null || e.terminationDate > day);

/** Where an employee stands at `asOf`: under review or not, their last sign-off then, and whether it is overdue. */
export interface ReviewStanding {
  employed: boolean;
  /** A former employee stays under review until a REVOKE sign-off on or after the day their employment ended. */
  underReview: boolean;
  lastSignOff: SignOff | null;
  /** No sign-off in the 12 months before `asOf`. */
  overdue: boolean;
}

/** `signOffs`: the employee's sign-offs, newest first (later ones than `asOf` are ignored). */
export function reviewStanding(e: StaffMember, asOf: Date, signOffs: readonly SignOff[]): ReviewStanding {
  const day = clinicDayOf(asOf);
  const signed = signOffs.filter((s) => s.at <= asOf);
  const employed = employedOn(e, day);
  const ended = e.terminationDate ?? day;
  const revokedAfterLeaving = !employed && signed.some((s) => s.entry.decision === 'REVOKE' && clinicDayOf(s.at) >= ended);
  const lastSignOff = signed[0] ?? null;
  return { employed, underReview: employed || !revokedAfterLeaving, lastSignOff, overdue: !lastSignOff || lastSignOff.at <= reviewIntervalBefore(asOf) };
}

/** The employees under review at `asOf` whose review is overdue: two look-ups (the staff list, the sign-offs). */
export async function overdueReviews(
  deps: { policy: Pick<PolicyClient, 'staffForReview'>; signOffs: AccessReviewSignOffs },
  asOf: Date,
): Promise<(StaffMember & ReviewStanding)[]> {
  const staff = await deps.policy.staffForReview(asOf);
  const signOffs = await deps.signOffs.of(staff.map((e) => e.id));
  return staff.map((e) => ({ ...e, ...reviewStanding(e, asOf, signOffs.get(e.id) ?? []) })).filter((e) => e.underReview && e.overdue);
}

/** The patient subgraph answers up to this many staff members per call (a clinic's staff is fewer). */
const STAFF_PER_CALL = 1000;

async function dutiesOfStaff(policy: Pick<PolicyClient, 'staffDuties'>, staff: readonly StaffMember[], asOf: Date): Promise<Record<string, StaffDutiesAndRestrictions>> {
  const calls: Promise<Record<string, StaffDutiesAndRestrictions>>[] = [];
  for (let i = 0; i < staff.length || i === 0; i += STAFF_PER_CALL) calls.push(policy.staffDuties(staff.slice(i, i + STAFF_PER_CALL).map((e) => ({ id: e.id, role: e.role })), asOf));
  return Object.assign({}, ...(await Promise.all(calls))) as Record<string, StaffDutiesAndRestrictions>;
}

/**
 * The yearly access review (issue 15), for every employee under review at `asOf`: a fixed number
 * of look-ups whatever the number of employees (the staff list, one call for every employee's
 * duties and restrictions, and one statement each for sign-offs, emergency accesses, refusals,
 * last activity and two-factor use).
 */
export async function accessReview(
  deps: { policy: Pick<PolicyClient, 'staffForReview' | 'staffDuties'>; store: AuditStore; signOffs: AccessReviewSignOffs },
  period: ReviewPeriod,
  only?: readonly string[],
): Promise<EmployeeAccessReview[]> {
  const { asOf, since } = period;
  const day = clinicDayOf(asOf);
  const everyone = (await deps.policy.staffForReview(asOf)).filter((e) => !only || only.includes(e.id));
  const signOffs = await deps.signOffs.of(everyone.map((e) => e.id));
  const staff = everyone.map((e) => ({ ...e, standing: reviewStanding(e, asOf, signOffs.get(e.id) ?? []) })).filter((e) => e.standing.underReview);
  const ids = staff.map((e) => e.id);
  const [dutiesOf, emergencies, refusals, lastActivity, twoFactor] = await Promise.all([
    dutiesOfStaff(deps.policy, staff, asOf),
    deps.store.emergencyAccess.ofEmployees(ids, since, asOf),
    deps.store.reviewFacts.refusals(ids, since, asOf),
    deps.store.reviewFacts.lastActivity(ids, asOf),
    deps.store.signIns.use(ids, clinicDayOf(since), day),
  ]);
  const emergenciesOf = groupRows(ids, emergencies, (a) => a.grantedTo);
  const age = (from: Date) => Math.max(0, Math.floor((asOf.getTime() - from.getTime()) / DAY_MS));
  return staff.map((e) => {
    const facts = dutiesOf[e.id] ?? { duties: [], restrictions: [] };
    const mine = emergenciesOf.get(e.id) ?? [];
    const duties: ReviewDuty[] = [
      ...facts.duties.map((d) => ({ kind: d.kind, patientId: d.patientId, since: new Date(d.since), until: d.until ? new Date(d.until) : null, ageDays: age(new Date(d.since)), detail: d.detail })),
      ...mine
        .filter((a) => a.openedAt <= asOf && a.expiresAt > asOf)
        .map((a) => ({ kind: 'EMERGENCY_ACCESS' as const, patientId: a.patientId, since: a.openedAt, until: a.expiresAt, ageDays: age(a.openedAt), detail: `emergency access ${a.id}` })),
    ];
    return {
      employeeId: e.id,
      role: e.role,
      hireDate: e.hireDate,
      terminationDate: e.terminationDate,
      employed: e.standing.employed,
      twoFactor: twoFactor.get(e.id) ?? { daysWithMfa: 0, daysWithoutMfa: 0, lastDayWithMfa: null, lastDayWithoutMfa: null },
      lastActivityAt: lastActivity.get(e.id) ?? null,
      duties,
      restrictions: facts.restrictions,
      emergencyAccesses: mine
        .filter((a) => a.openedAt >= since)
        .map((a) => ({ id: a.id, patientId: a.patientId, openedAt: a.openedAt, expiresAt: a.expiresAt, justification: a.justification })),
      refusals: refusals.get(e.id) ?? [],
      lastSignOff: e.standing.lastSignOff,
      overdue: e.standing.overdue,
    };
  });
}

/** The patients a review names (duties, restrictions, emergency accesses, refusals): what it reveals something about. */
export function patientsNamed(rows: readonly EmployeeAccessReview[]): Set<string> {
  const ids = new Set<string>();
  for (const r of rows) {
    for (const d of r.duties) ids.add(d.patientId);
    for (const x of r.restrictions) ids.add(x.patientId);
    for (const a of r.emergencyAccesses) ids.add(a.patientId);
    for (const f of r.refusals) for (const p of f.patientIds) ids.add(p);
  }
  return ids;
}
