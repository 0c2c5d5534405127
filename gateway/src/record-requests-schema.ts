import { GraphQLError, parse } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { badUserInput } from '@clinic/service-kit';
import type { AuditStore } from './audit-store/audit-store.js';
import { RETENTION_RUN_STATUS } from './audit-store/destruction-record.js';
import type { GatewayContext } from './context.js';
import type { PolicyClient } from './policy/policy-client.js';
import { allow } from './policy/verdict.js';

const READ_IN_THE_REGISTER = allow('the privacy officer reads the register of requests');
const READ_THE_HOLDS = allow('the privacy officer reads the legal holds');

/**
 * Requests on the legal clock, legal holds and destruction on request (issue 14), answered by the
 * gateway on its request clock through the patient subgraph's internal endpoints; an accepted
 * destruction keeps its destruction record in the audit store, like applyRetention.
 */
export const recordRequestsTypeDefs = parse(/* GraphQL */ `
  "A patient's request on the legal clock: answered within 30 days of receipt (Law 25, s. 32), or it counts as refused."
  type PatientRequest {
    id: ID!
    patientId: ID!
    "DESTRUCTION, ACCESS, PORTABILITY, CONSENT_WITHDRAWAL, RESTRICTION or RECTIFICATION"
    kind: String!
    "PORTAL (filed by the patient) or PAPER (received on paper, filed by the privacy officer)"
    channel: String!
    "The patient, or the privacy officer who filed a paper request."
    filedBy: ID!
    "What the patient wrote or the privacy officer noted when filing."
    details: String
    "For a RESTRICTION request: the restriction the patient asked for (accepted, it becomes an AccessRestriction)."
    restriction: RequestedRestriction
    receivedAt: String!
    "30 days after receipt."
    dueAt: String!
    "PENDING, ACCEPTED or REFUSED"
    status: String!
    "Still pending after its due date."
    overdue: Boolean!
    decidedAt: String
    decidedBy: ID
    decisionReason: String
    "With a refusal: the patient may apply to the Commission d'accès à l'information."
    appealNotice: String
    "What the decision did, or that it only records the decision (ACCESS, PORTABILITY); null while pending."
    outcome: String
  }

  "A restriction a patient asked for (SPEC §6): one employee or one staff role, fields of the record, why, and when."
  type RequestedRestriction {
    employeeId: ID
    role: Role
    "Type.field names, e.g. Patient.diagnoses"
    fields: [String!]!
    reason: String!
    "ISO-8601; null: from the decision."
    from: String
    "ISO-8601; null: until lifted."
    to: String
  }

  "The restriction a patient asks for: name exactly one of employeeId and role."
  input RestrictionRequestInput {
    employeeId: ID
    "A staff role, e.g. RECEPTIONIST."
    role: Role
    "Type.field names of the patient's record, e.g. Patient.diagnoses"
    fields: [String!]!
    reason: String!
    "Optional start: a clinic day (YYYY-MM-DD) or an ISO-8601 instant with a time zone."
    from: String
    "Optional end: a clinic day (YYYY-MM-DD, that whole day included) or an ISO-8601 instant with a time zone."
    to: String
  }

  "A legal hold: while it is open, nothing of the patient's record is destroyed."
  type LegalHold {
    id: ID!
    patientId: ID!
    reason: String!
    placedBy: ID!
    placedAt: String!
    liftReason: String
    liftedBy: ID
    liftedAt: String
  }

  extend type Query {
    "Every patient's requests, earliest due first (overdueOnly: the pending ones past their due date)."
    patientRequests(overdueOnly: Boolean): [PatientRequest!]!
    "The viewer's own requests and their due dates."
    myRequests: [PatientRequest!]!
    "Legal holds, open and lifted (of one patient when patientId is given)."
    legalHolds(patientId: ID): [LegalHold!]!
  }

  extend type Mutation {
    "The patient asks for the destruction of their record (possible after 5 years without an entry)."
    requestRecordDestruction(details: String): PatientRequest!
    "The patient asks that an employee or a whole role not see fields of their own record; the privacy officer decides (accepted, it becomes an access restriction)."
    requestAccessRestriction(input: RestrictionRequestInput!): PatientRequest!
    "The privacy officer files a request received on paper for a patient (kind RESTRICTION needs restriction)."
    fileRequestOnPaper(patientId: ID!, kind: String!, details: String, restriction: RestrictionRequestInput): PatientRequest!
    "The privacy officer files a rectification request received on paper for a patient (decided with decideRectification)."
    fileRectificationOnPaper(patientId: ID!, field: String!, proposedValue: String!, reason: String!): PatientRequest!
    "Accepts or refuses a pending request, once, with reasons; an accepted destruction destroys the record but its protected reports."
    decidePatientRequest(patientId: ID!, id: ID!, accept: Boolean!, reason: String!): PatientRequest!
    placeLegalHold(patientId: ID!, reason: String!): LegalHold!
    "Lifts the open legal holds of the record."
    liftLegalHold(patientId: ID!, reason: String!): [LegalHold!]!
  }
`);

interface Problem {
  ok: false;
  problem: string;
  argument: string;
}
interface RequestView {
  id: string;
  patientId: string;
}
const isProblem = (value: unknown): value is Problem => typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
const MAX_TEXT = 1000;

function checkedText(value: string | null | undefined, argument: string, required: boolean): string | null {
  const text = value?.trim() ?? '';
  if (!text) {
    if (required) throw badUserInput(`${argument} must not be empty`, argument);
    return null;
  }
  if (text.length > MAX_TEXT) throw badUserInput(`${argument} must be at most ${MAX_TEXT} characters`, argument);
  return text;
}

function viewerOf(context: GatewayContext) {
  const viewer = context.request.viewer;
  if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  return viewer;
}

export function recordRequestsResolvers(options: { store: AuditStore; policy: PolicyClient }): IResolvers {
  const { store, policy } = options;
  const call = async <T>(endpoint: Parameters<PolicyClient['recordRequests']>[0], body: Record<string, unknown>): Promise<T> => {
    const answer = await policy.recordRequests<T | Problem>(endpoint, body);
    if (isProblem(answer)) throw badUserInput(answer.problem, answer.argument);
    return answer;
  };
  return {
    Query: {
      patientRequests: async (_: unknown, args: { overdueOnly?: boolean | null }, context: GatewayContext) => {
        const { requests } = await call<{ requests: RequestView[] }>('request-register', { at: context.request.now.toISOString(), overdueOnly: args.overdueOnly === true });
        for (const patientId of new Set(requests.map((r) => r.patientId))) context.audit.record(patientId, 'Query.patientRequests', READ_IN_THE_REGISTER);
        return requests;
      },
      myRequests: async (_: unknown, __: unknown, context: GatewayContext) =>
        (await call<{ requests: RequestView[] }>('request-register', { at: context.request.now.toISOString(), patientId: viewerOf(context).id })).requests,
      legalHolds: async (_: unknown, args: { patientId?: string | null }, context: GatewayContext) => {
        const { holds } = await call<{ holds: { patientId: string }[] }>('hold-list', { patientId: args.patientId ?? null });
        for (const patientId of new Set(holds.map((h) => h.patientId))) context.audit.record(patientId, 'Query.legalHolds', READ_THE_HOLDS);
        return holds;
      },
    },
    Mutation: {
      requestRecordDestruction: async (_: unknown, args: { details?: string | null }, context: GatewayContext) => {
        const viewer = viewerOf(context);
        return call('request-file', {
          patientId: viewer.id, kind: 'DESTRUCTION', details: checkedText(args.details, 'details', false), filedBy: viewer.id, channel: 'PORTAL', at: context.request.now.toISOString(),
        });
      },
      requestAccessRestriction: async (_: unknown, args: { input: Record<string, unknown> }, context: GatewayContext) => {
        const viewer = viewerOf(context);
        return call('request-file', {
          patientId: viewer.id, kind: 'RESTRICTION', details: null, restriction: args.input, filedBy: viewer.id, channel: 'PORTAL', at: context.request.now.toISOString(),
        });
      },
      fileRequestOnPaper: async (_: unknown, args: { patientId: string; kind: string; details?: string | null; restriction?: Record<string, unknown> | null }, context: GatewayContext) =>
        call('request-file', {
          patientId: args.patientId, kind: args.kind, details: checkedText(args.details, 'details', false), restriction: args.restriction ?? null, filedBy: viewerOf(context).id, channel: 'PAPER',
          at: context.request.now.toISOString(),
        }),
      fileRectificationOnPaper: async (_: unknown, args: { patientId: string; field: string; proposedValue: string; reason: string }, context: GatewayContext) =>
        call('rectification-file', {
          patientId: args.patientId, field: args.field, proposedValue: args.proposedValue, reason: checkedText(args.reason, 'reason', true), filedBy: viewerOf(context).id,
          at: context.request.now.toISOString(),
        }),
      decidePatientRequest: async (_: unknown, args: { patientId: string; id: string; accept: boolean; reason: string }, context: GatewayContext) => {
        const viewer = viewerOf(context);
        const at = context.request.now;
        const reason = checkedText(args.reason, 'reason', true);
        // The decision was logged under the patient before it ran (the rule's auditedUnder); an
        // accepted destruction then keeps its destruction record, like a retention run.
        const answer = await call<{ request: RequestView; applied: { rule: string; itemKind: string; action: string; count: number }[] }>('request-decide', {
          patientId: args.patientId, id: args.id, accept: args.accept, reason, decidedBy: viewer.id, at: at.toISOString(),
        });
        if (answer.applied.length) {
          const run = await store.destructions.start({ id: viewer.id, role: viewer.role }, at);
          await store.destructions.record(run, 'patient', answer.applied, at);
          await store.destructions.finish(run, RETENTION_RUN_STATUS.completed, at);
        }
        return answer.request;
      },
      placeLegalHold: async (_: unknown, args: { patientId: string; reason: string }, context: GatewayContext) =>
        call('hold-place', { patientId: args.patientId, reason: checkedText(args.reason, 'reason', true), by: viewerOf(context).id, at: context.request.now.toISOString() }),
      liftLegalHold: async (_: unknown, args: { patientId: string; reason: string }, context: GatewayContext) =>
        (await call<{ holds: unknown[] }>('hold-lift', { patientId: args.patientId, reason: checkedText(args.reason, 'reason', true), by: viewerOf(context).id, at: context.request.now.toISOString() })).holds,
    },
  } as IResolvers;
}
