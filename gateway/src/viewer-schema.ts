import { parse, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import type { Viewer } from './identity/viewer.js';

/** The verified caller (`Query.me`) is the gateway's own knowledge: no subgraph holds it. */
export const viewerTypeDefs = parse(/* GraphQL */ `
  "The verified caller of this request."
  type Viewer {
    "Employee or patient id (the token's sub)."
    id: ID!
    role: Role!
    "Two-factor authentication was used for this token."
    mfa: Boolean!
    "The caller's staff record, for employees."
    employee: Employee
    "The caller's own record, for patients."
    patient: Patient
  }

  extend type Query {
    "The verified caller: id, role, and their Employee or Patient record."
    me: Viewer!
  }
`);

interface ViewerContext {
  request: { viewer: Viewer | undefined };
}

/**
 * Resolvers of `Query.me`. The viewer's record is fetched by the supergraph's own `employee(id)` /
 * `patient(id)` resolvers, so it arrives exactly as it would through those root fields.
 */
export function viewerResolvers(schema: () => GraphQLSchema): IResolvers {
  const throughRootField = (fieldName: 'employee' | 'patient'): GraphQLFieldResolver<Viewer, ViewerContext> => (viewer, _args, context, info) => {
    const resolve = schema().getQueryType()?.getFields()[fieldName]?.resolve;
    if (!resolve) throw new Error(`gateway: the supergraph has no Query.${fieldName}`);
    return resolve({}, { id: viewer.id }, context, info);
  };
  const employeeRecord = throughRootField('employee');
  const patientRecord = throughRootField('patient');
  return {
    Query: {
      me: (_: unknown, __: unknown, context: ViewerContext) => context.request.viewer,
    },
    Viewer: {
      employee: (viewer: Viewer, args: unknown, context: ViewerContext, info) => (viewer.role === 'PATIENT' ? null : employeeRecord(viewer, args, context, info)),
      patient: (viewer: Viewer, args: unknown, context: ViewerContext, info) => (viewer.role === 'PATIENT' ? patientRecord(viewer, args, context, info) : null),
    },
  } as IResolvers;
}
