import { GraphQLError, parse } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { isWellFormedId } from '@clinic/service-kit';
import type { AuditStore } from './audit-store/audit-store.js';
import type { GatewayContext } from './context.js';
import type { CompiledPolicy } from './policy/compiled-policy.js';
import type { PolicyClient } from './policy/policy-client.js';
import { patientCoordinates, readableBy, whoCanRead } from './policy/reverse-lookups.js';
import { allow } from './policy/verdict.js';

/** The privacy officer's reverse questions (issue 15), answered from the compiled policy (policy/reverse-lookups.ts). */
export const reverseLookupTypeDefs = parse(/* GraphQL */ `
  "A reader who may read a field of a patient now, and why (the chain of checks, as policy:explain says it)."
  type FieldReader {
    readerId: ID!
    role: Role!
    "Allowed only after two-factor authentication."
    needsMfa: Boolean!
    why: [String!]!
  }

  type FieldReason {
    field: String!
    steps: [String!]!
  }

  "A patient an employee may read now: which fields, and why."
  type ReadablePatient {
    patientId: ID!
    fields: [String!]!
    fieldsNeedingMfa: [String!]!
    why: [FieldReason!]!
  }

  extend type Query {
    "Who can read this field (Patient.diagnoses) of this patient now: every employed staff member and the patient, as the gateway would decide."
    whoCanRead(patientId: ID!, field: String!): [FieldReader!]!
    "Which patients this employee can read now, field by field, and why."
    readableBy(employeeId: ID!): [ReadablePatient!]!
  }
`);

const READABLE_BY = allow('the privacy officer asks which patients an employee can read');

const badInput = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });

export function reverseLookupResolvers(options: { store: AuditStore; policy: PolicyClient; compiled: CompiledPolicy }): IResolvers {
  const { store, policy, compiled } = options;
  const emergencyToward = (patientId: string, now: Date) => store.emergencyAccess.towardPatient(patientId, now);
  return {
    Query: {
      whoCanRead: async (_: unknown, args: { patientId: string; field: string }, context: GatewayContext) => {
        if (!isWellFormedId(args.patientId)) throw badInput('patientId must be an id', 'patientId');
        if (!patientCoordinates(compiled).includes(args.field)) throw badInput('field must name a field of the patient record, e.g. "Patient.diagnoses"', 'field');
        if (!(await context.access.patientExists(args.patientId))) throw badInput(`No patient with id "${args.patientId}"`, 'patientId');
        return whoCanRead(compiled, policy, emergencyToward, args.patientId, args.field, context.request.now);
      },
      readableBy: async (_: unknown, args: { employeeId: string }, context: GatewayContext) => {
        if (!isWellFormedId(args.employeeId)) throw badInput('employeeId must be an id', 'employeeId');
        const now = context.request.now;
        // The question itself is recorded (whom it asked about), whether or not the answer lists anyone.
        context.audit.recordSearch('Query.readableBy', JSON.stringify({ employeeId: args.employeeId }));
        const employee = (await policy.staffRoster(now)).find((e) => e.id === args.employeeId);
        // Someone not employed today reads nothing (their tokens are refused).
        if (!employee) return [];
        const answer = await readableBy(compiled, policy, (id, at) => store.emergencyAccess.openFor(id, at), employee, now);
        // The answer tells, for each patient it lists, what this employee reads of them and why (their duties): one
        // event under those patients. Patients it does not list are not named: nothing of them is revealed.
        for (const p of answer) context.audit.record(p.patientId, 'Query.readableBy', READABLE_BY);
        return answer;
      },
    },
  } as IResolvers;
}
