import { GraphQLError, parse } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { badUserInput, isWellFormedId, parseZonedInstant, strictIsoDay } from '@clinic/service-kit';
import { clinicDayBounds } from '@clinic/schema';
import { accessReview, overdueReviews, patientsNamed, reviewIntervalBefore, type EmployeeAccessReview } from './access-review/access-review.js';
import { ACCESS_REVIEW_DECISIONS, AccessReviewSignOffs, type AccessReviewDecision, type SignOff } from './access-review/sign-offs.js';
import type { AuditStore } from './audit-store/audit-store.js';
import type { GatewayContext } from './context.js';
import type { PolicyClient } from './policy/policy-client.js';
import { allow } from './policy/verdict.js';

const REVIEWED = allow('the privacy officer reviews staff access (the yearly access review)');
const MAX_NOTE_LENGTH = 2000;

/** The yearly access review (issue 15): each employee's access as it stands, and the privacy officer's recorded sign-offs. */
export const accessReviewTypeDefs = parse(/* GraphQL */ `
  "What the privacy officer decides about an employee's access at a review."
  enum AccessReviewDecision {
    KEEP
    REDUCE
    REVOKE
  }

  "How the employee authenticated over the period: clinic days with requests with and without two-factor authentication."
  type TwoFactorUse {
    daysWithMfa: Int!
    daysWithoutMfa: Int!
    lastDayWithMfa: String
    lastDayWithoutMfa: String
  }

  "An open duty toward a patient at the review's instant, and its age."
  type ReviewDuty {
    "CARE_ASSIGNMENT, APPOINTMENT_TODAY, ACTIVE_REFERRAL or EMERGENCY_ACCESS"
    kind: String!
    patientId: ID!
    since: String!
    "When it ends, or lapses unless renewed, when known."
    until: String
    "Whole days since it began."
    ageDays: Int!
    detail: String!
  }

  "An active restriction that names the employee, by id (EMPLOYEE) or by their role (ROLE)."
  type ReviewRestriction {
    id: ID!
    patientId: ID!
    fields: [String!]!
    namedBy: String!
    from: String!
    to: String
  }

  "An emergency access the employee opened in the period."
  type ReviewEmergencyAccess {
    id: ID!
    patientId: ID!
    openedAt: String!
    expiresAt: String!
    justification: String!
  }

  "A refused access of the employee in the period (one audit event)."
  type ReviewRefusal {
    eventId: ID!
    at: String!
    reason: String
    fields: [String!]!
    patientIds: [ID!]!
  }

  "A recorded sign-off of an employee's access review, in a tamper-evident register."
  type AccessReviewSignOff {
    id: ID!
    employeeId: ID!
    "The employee's role when reviewed."
    role: Role!
    decision: AccessReviewDecision!
    note: String!
    "The privacy officer who signed (the verified viewer)."
    reviewerId: ID!
    at: String!
  }

  "One employee's access, as the yearly review sees it."
  type EmployeeAccessReview {
    employeeId: ID!
    role: Role!
    hireDate: String!
    terminationDate: String
    "Employed on the review's day; a former employee is reviewed until a REVOKE sign-off after their employment ended."
    employed: Boolean!
    twoFactor: TwoFactorUse!
    "Their last audit event."
    lastActivityAt: String
    duties: [ReviewDuty!]!
    restrictions: [ReviewRestriction!]!
    emergencyAccesses: [ReviewEmergencyAccess!]!
    refusals: [ReviewRefusal!]!
    lastSignOff: AccessReviewSignOff
    "When their access was last signed off."
    lastReviewedAt: String
    "No sign-off in the 12 months before the review's instant."
    overdue: Boolean!
  }

  "An employee whose yearly access review is overdue."
  type OverdueAccessReview {
    employeeId: ID!
    role: Role!
    employed: Boolean!
    terminationDate: String
    lastReviewedAt: String
  }

  extend type Query {
    """
    Every employee under review at asOf (default now): duties and restrictions then; emergency accesses, refusals and
    two-factor use from since (default 12 months before) to asOf. Instants with a time zone, or clinic days (since: its
    start; asOf: its end, or now for today).
    """
    accessReview(asOf: String, since: String, employeeId: ID): [EmployeeAccessReview!]!
    "Employees with no access-review sign-off in the 12 months before asOf (default now)."
    overdueAccessReviews(asOf: String): [OverdueAccessReview!]!
    "The sign-offs of an employee's access reviews, most recent first."
    accessReviewSignOffs(employeeId: ID!): [AccessReviewSignOff!]!
  }

  extend type Mutation {
    "Records the privacy officer's decision on an employee's access (appended to a hash-chained register)."
    signOffAccessReview(employeeId: ID!, decision: AccessReviewDecision!, note: String!): AccessReviewSignOff!
  }
`);

function viewerOf(context: GatewayContext) {
  const viewer = context.request.viewer;
  if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  return viewer;
}

/**
 * An instant argument: ISO-8601 with a time zone, or a clinic day (YYYY-MM-DD: its start for
 * `since`, its end for `asOf`), never after the request's clock (the end of today is now).
 */
function instantArgument(text: string | null | undefined, name: string, now: Date, day: 'start' | 'end'): Date | undefined {
  if (text === null || text === undefined) return undefined;
  const wholeDay = strictIsoDay(text) ? clinicDayBounds(text) : undefined;
  const at = wholeDay ? (day === 'start' ? wholeDay.start : new Date(Math.min(wholeDay.end.getTime() - 1, now.getTime()))) : parseZonedInstant(text);
  if (!at) throw badUserInput(`${name} must be an ISO-8601 instant with a time zone ("2026-12-01T12:00:00Z") or a day ("2026-12-01")`, name);
  if (at > now || (wholeDay && wholeDay.start > now)) throw badUserInput(`${name} must not be in the future`, name);
  return at;
}

function employeeIdArgument(id: string, name = 'employeeId'): string {
  if (!isWellFormedId(id)) throw badUserInput(`${name} must be an id`, name);
  return id;
}

const signOffOut = (s: SignOff) => ({ id: s.id, ...s.entry, at: s.at.toISOString() });

function reviewOut(r: EmployeeAccessReview) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    ...r,
    lastActivityAt: iso(r.lastActivityAt),
    duties: r.duties.map((d) => ({ ...d, since: d.since.toISOString(), until: iso(d.until) })),
    emergencyAccesses: r.emergencyAccesses.map((a) => ({ ...a, openedAt: a.openedAt.toISOString(), expiresAt: a.expiresAt.toISOString() })),
    refusals: r.refusals.map((f) => ({ ...f, at: f.at.toISOString() })),
    lastSignOff: r.lastSignOff ? signOffOut(r.lastSignOff) : null,
    lastReviewedAt: iso(r.lastSignOff?.at ?? null),
  };
}

export function accessReviewResolvers(options: { store: AuditStore; policy: PolicyClient }): IResolvers {
  const { store, policy } = options;
  // Opened on first use: the served schema is also built without a store (testing/served-schema.ts).
  let opened: AccessReviewSignOffs | undefined;
  const deps = {
    policy,
    store,
    get signOffs() {
      opened ??= new AccessReviewSignOffs(store.registers);
      return opened;
    },
  };
  return {
    Query: {
      accessReview: async (_: unknown, args: { asOf?: string | null; since?: string | null; employeeId?: string | null }, context: GatewayContext) => {
        const now = context.request.now;
        const asOf = instantArgument(args.asOf, 'asOf', now, 'end') ?? now;
        const since = instantArgument(args.since, 'since', now, 'start') ?? reviewIntervalBefore(asOf);
        if (since > asOf) throw badUserInput('since must not be after asOf', 'since');
        const only = args.employeeId === null || args.employeeId === undefined ? undefined : [employeeIdArgument(args.employeeId)];
        const rows = await accessReview(deps, { asOf, since }, only);
        // The review names patients (duties, restrictions, emergency accesses, refusals): recorded under each of them.
        for (const patientId of patientsNamed(rows)) context.audit.record(patientId, 'Query.accessReview', REVIEWED);
        return rows.map(reviewOut);
      },
      overdueAccessReviews: async (_: unknown, args: { asOf?: string | null }, context: GatewayContext) => {
        const asOf = instantArgument(args.asOf, 'asOf', context.request.now, 'end') ?? context.request.now;
        return (await overdueReviews(deps, asOf)).map((e) => ({
          employeeId: e.id,
          role: e.role,
          employed: e.employed,
          terminationDate: e.terminationDate,
          lastReviewedAt: e.lastSignOff ? e.lastSignOff.at.toISOString() : null,
        }));
      },
      accessReviewSignOffs: async (_: unknown, args: { employeeId: string }) => {
        const id = employeeIdArgument(args.employeeId);
        return ((await deps.signOffs.of([id])).get(id) ?? []).map(signOffOut);
      },
    },
    Mutation: {
      signOffAccessReview: async (_: unknown, args: { employeeId: string; decision: AccessReviewDecision; note: string }, context: GatewayContext) => {
        const reviewer = viewerOf(context);
        const now = context.request.now;
        const employeeId = employeeIdArgument(args.employeeId);
        if (!(ACCESS_REVIEW_DECISIONS as readonly string[]).includes(args.decision)) throw badUserInput('decision must be KEEP, REDUCE or REVOKE', 'decision');
        const note = args.note.trim();
        if (!note) throw badUserInput('note must say what was reviewed and why', 'note');
        if (note.length > MAX_NOTE_LENGTH) throw badUserInput(`note must be at most ${MAX_NOTE_LENGTH} characters`, 'note');
        // Separation of duties: nobody signs off the review of their own access.
        if (employeeId === reviewer.id) throw badUserInput('a reviewer does not sign off the review of their own access', 'employeeId');
        const employee = (await policy.staffForReview(now)).find((e) => e.id === employeeId);
        if (!employee) throw badUserInput(`No employee with id "${employeeId}"`, 'employeeId');
        const signed = await deps.signOffs.sign({ employeeId, role: employee.role, decision: args.decision, note, reviewerId: reviewer.id, reviewerRole: reviewer.role }, now);
        return signOffOut(signed);
      },
    },
  } as IResolvers;
}
