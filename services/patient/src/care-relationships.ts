import { assertId, badUserInput, isoOrNull, parseZonedInstant, type SubgraphContext } from '@clinic/service-kit';
import { CareAssignment, Referral } from './entities.js';
import type { PatientLoaders } from './loaders.js';

type Context = SubgraphContext<PatientLoaders>;

/**
 * Care relationships that begin and end (issue 15): care assignments and referrals opened and ended
 * through the API (the gateway's rules file says who may), and assignments that end by themselves
 * when nobody renews them.
 *
 * The lifetime is a clinic setting: CARE_ASSIGNMENT_LIFETIME_DAYS, 365 days by default, the period
 * of the yearly access review (OPTMQ reviews staff access "une fois par année"): a duty nobody
 * confirmed in a year is not a duty any more. A referral opened without an end date ends after the
 * same lifetime.
 */
export const DEFAULT_CARE_ASSIGNMENT_LIFETIME_DAYS = 365;
export const CARE_ASSIGNMENT_KINDS = ['PHYSICIAN_OF_RECORD', 'ASSIGNED_NURSE'] as const;
const DAY_MS = 86_400_000;
const MAX_REASON_LENGTH = 255;

export function careAssignmentLifetimeDays(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.CARE_ASSIGNMENT_LIFETIME_DAYS;
  if (configured === undefined || configured === '') return DEFAULT_CARE_ASSIGNMENT_LIFETIME_DAYS;
  const days = Number(configured);
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new Error('config: CARE_ASSIGNMENT_LIFETIME_DAYS must be a whole number of days from 1 to 3660');
  return days;
}

const lifetimeMs = () => careAssignmentLifetimeDays() * DAY_MS;

/** When an assignment lapses unless renewed: a lifetime after its last renewal (or its start). */
export function lapsesAt(a: Pick<CareAssignment, 'since' | 'renewedAt'>): Date {
  return new Date((a.renewedAt ?? a.since).getTime() + lifetimeMs());
}

/** An assignment last renewed (or begun) at or before this instant has lapsed at `at`. */
export const lapseCutoff = (at: Date) => new Date(at.getTime() - lifetimeMs());

/** Query condition: renewed (or begun) within the lifetime before `at`, so not lapsed at `at`. */
export function notLapsedAt(at: Date) {
  const cutoff = lapseCutoff(at);
  return { $or: [{ renewedAt: { $gt: cutoff } }, { renewedAt: null, since: { $gt: cutoff } }] };
}

/** Open at `at`: begun, not ended, and (for an assignment) not lapsed. */
const assignmentOpenAt = (a: CareAssignment, at: Date) => a.since <= at && (a.until === null || a.until === undefined || a.until > at) && lapsesAt(a) > at;
const referralOpenAt = (r: Referral, at: Date) => r.since <= at && (r.until === null || r.until === undefined || r.until > at);

async function existingPatient(ctx: Context, patientId: string): Promise<string> {
  const id = assertId(patientId, 'patientId');
  if (!(await ctx.loaders.patientById.load(id))) throw badUserInput(`No patient with id "${id}"`, 'patientId');
  return id;
}

/** A numeric row id given as an ID, belonging to the patient named with it (the rules decided on that patient). */
function rowId(id: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) throw badUserInput('id must be the id of a care assignment or referral', 'id');
  return Number(id);
}

async function assignmentOf(ctx: Context, patientId: string, id: string): Promise<CareAssignment> {
  const found = await ctx.em.findOne(CareAssignment, { id: rowId(id), patientId: assertId(patientId, 'patientId') });
  if (!found) throw badUserInput(`No care assignment with id "${id}" for this patient`, 'id');
  return found;
}

async function referralOf(ctx: Context, patientId: string, id: string): Promise<Referral> {
  const found = await ctx.em.findOne(Referral, { id: rowId(id), patientId: assertId(patientId, 'patientId') });
  if (!found) throw badUserInput(`No referral with id "${id}" for this patient`, 'id');
  return found;
}

function checkedReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw badUserInput('reason must say why the patient is referred', 'reason');
  if (trimmed.length > MAX_REASON_LENGTH) throw badUserInput(`reason must be at most ${MAX_REASON_LENGTH} characters`, 'reason');
  return trimmed;
}

/** The gateway's verified viewer: the referring physician is whoever opened the referral, never an argument. */
function viewerOf(ctx: Context): string {
  if (!ctx.viewerId) throw badUserInput('a referral needs an authenticated referring physician', 'patientId');
  return ctx.viewerId;
}

export const careRelationshipMutations = {
  openCareAssignment: async (_: unknown, { input }: { input: { patientId: string; employeeId: string; kind: string } }, ctx: Context) => {
    const patientId = await existingPatient(ctx, input.patientId);
    const employeeId = assertId(input.employeeId, 'employeeId');
    if (!(CARE_ASSIGNMENT_KINDS as readonly string[]).includes(input.kind)) throw badUserInput(`kind must be one of ${CARE_ASSIGNMENT_KINDS.join(', ')}`, 'kind');
    const now = ctx.now;
    const existing = await ctx.em.find(CareAssignment, { patientId, employeeId, kind: input.kind });
    if (existing.some((a) => assignmentOpenAt(a, now))) throw badUserInput('This employee already has an open assignment of this kind to the patient: renew it instead', 'employeeId');
    const assignment = ctx.em.create(CareAssignment, { patientId, employeeId, kind: input.kind, since: now, until: null, renewedAt: now });
    await ctx.em.flush();
    return assignment;
  },

  renewCareAssignment: async (_: unknown, args: { patientId: string; id: string }, ctx: Context) => {
    const assignment = await assignmentOf(ctx, args.patientId, args.id);
    const now = ctx.now;
    if (!assignmentOpenAt(assignment, now)) throw badUserInput('The care assignment has ended or lapsed: open a new one', 'id');
    assignment.renewedAt = now;
    await ctx.em.flush();
    return assignment;
  },

  endCareAssignment: async (_: unknown, args: { patientId: string; id: string }, ctx: Context) => {
    const assignment = await assignmentOf(ctx, args.patientId, args.id);
    const now = ctx.now;
    if (!assignmentOpenAt(assignment, now)) throw badUserInput('The care assignment has already ended or lapsed', 'id');
    assignment.until = now;
    await ctx.em.flush();
    return assignment;
  },

  openReferral: async (_: unknown, { input }: { input: { patientId: string; consultantId: string; reason: string; until?: string | null } }, ctx: Context) => {
    const patientId = await existingPatient(ctx, input.patientId);
    const consultantId = assertId(input.consultantId, 'consultantId');
    const reason = checkedReason(input.reason);
    const now = ctx.now;
    const longest = new Date(now.getTime() + lifetimeMs());
    let until = longest;
    if (input.until !== undefined && input.until !== null) {
      const given = parseZonedInstant(input.until);
      if (!given) throw badUserInput('until must be an ISO-8601 date and time with a time zone', 'until');
      if (given <= now || given > longest) throw badUserInput(`until must be in the future and at most ${careAssignmentLifetimeDays()} days away`, 'until');
      until = given;
    }
    const existing = await ctx.em.find(Referral, { patientId, consultantId });
    if (existing.some((r) => referralOpenAt(r, now))) throw badUserInput('This consultant already has an active referral of the patient', 'consultantId');
    const referral = ctx.em.create(Referral, { patientId, consultantId, referredById: viewerOf(ctx), reason, since: now, until });
    await ctx.em.flush();
    return referral;
  },

  endReferral: async (_: unknown, args: { patientId: string; id: string }, ctx: Context) => {
    const referral = await referralOf(ctx, args.patientId, args.id);
    const now = ctx.now;
    if (!referralOpenAt(referral, now)) throw badUserInput('The referral has already ended', 'id');
    referral.until = now;
    await ctx.em.flush();
    return referral;
  },
};

const employeeRef = (id: string) => ({ __typename: 'Employee', id });

export const careRelationshipTypes = {
  CareAssignment: {
    id: (c: CareAssignment) => String(c.id),
    since: (c: CareAssignment) => isoOrNull(c.since),
    until: (c: CareAssignment) => isoOrNull(c.until),
    lapsesAt: (c: CareAssignment) => (c.until ? null : lapsesAt(c).toISOString()),
    employee: (c: CareAssignment) => employeeRef(c.employeeId),
  },
  Referral: {
    id: (r: Referral) => String(r.id),
    since: (r: Referral) => isoOrNull(r.since),
    until: (r: Referral) => isoOrNull(r.until),
    consultant: (r: Referral) => employeeRef(r.consultantId),
    referredBy: (r: Referral) => employeeRef(r.referredById),
  },
};

