import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { IMiddleware } from 'graphql-middleware';
import type { Role } from '@clinic/schema';
import { isWellFormedId } from '@clinic/service-kit';
import type { GatewayContext } from './context.js';
import type { PolicyClient } from './policy/policy-client.js';

/**
 * Input that names an employee is checked against the employee subgraph before it is written
 * elsewhere: the patient subgraph cannot know whether an employee id is real. Runs after the
 * permission rules, so only allowed callers learn whether an id exists.
 */
const PRACTITIONER_ROLES: readonly Role[] = ['PHYSICIAN', 'NURSE', 'CONSULTANT'];

const badInput = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });

type Resolve = (parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => unknown;

export function inputChecks(policy: PolicyClient): IMiddleware {
  const employee = (id: unknown, context: GatewayContext) =>
    isWellFormedId(id) ? policy.employeeStatus(id, context.request.now) : undefined;
  const restrictionSubjectExists = async (input: unknown, context: GatewayContext) => {
    const employeeId = (input as { employeeId?: unknown } | null | undefined)?.employeeId;
    const status = employeeId ? await employee(employeeId, context) : undefined;
    if (status && !status.exists) throw badInput(`No employee with id "${String(employeeId)}"`, 'employeeId');
  };
  return {
    Mutation: {
      bookAppointment: async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => {
        const input = args.input as { practitionerId?: unknown } | undefined;
        const status = await employee(input?.practitionerId, context);
        if (status && !(status.exists && status.active && status.role && PRACTITIONER_ROLES.includes(status.role))) {
          throw badInput('practitionerId must name a physician, nurse or consultant currently working at the clinic', 'practitionerId');
        }
        return resolve(parent, args, context, info);
      },
      createAccessRestriction: async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => {
        await restrictionSubjectExists(args.input, context);
        return resolve(parent, args, context, info);
      },
      // A patient's restriction request, from the portal or filed on paper: the same subject check.
      requestAccessRestriction: async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => {
        await restrictionSubjectExists(args.input, context);
        return resolve(parent, args, context, info);
      },
      fileRequestOnPaper: async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => {
        await restrictionSubjectExists(args.restriction, context);
        return resolve(parent, args, context, info);
      },
    },
  } as IMiddleware;
}
