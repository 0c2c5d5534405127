import type { GraphQLResolveInfo } from 'graphql';
import type { IMiddleware } from 'graphql-middleware';
import { notFound } from '@clinic/service-kit';
import type { GatewayContext } from '../context.js';
import type { CompiledPolicy } from './compiled-policy.js';
import { decide } from './decide.js';
import { recordIdOf } from './record-keys.js';

type Resolve = (parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => unknown;

/**
 * Root fields that fetch one record by id answer a record the reader may not see exactly like an
 * id that names nothing (the subgraph's NOT_FOUND), so `__typename` or an error cannot tell that it
 * exists; the attempt is recorded in the audit log under the record's patient.
 */
export function recordGateMiddleware(policy: CompiledPolicy, gates: Readonly<Record<string, { record: string; readableAs: string }>>): IMiddleware {
  const byType: Record<string, Record<string, unknown>> = {};
  for (const [coordinate, { record, readableAs }] of Object.entries(gates)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const index = policy.indexOf(readableAs);
    byType[typeName] ??= {};
    byType[typeName][fieldName] = async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => {
      const value = await resolve(parent, args, ctx, info);
      const plan = ctx.access.plans[index];
      // A record without its key carries the subgraph's error (bad id, unavailable): let it surface as it is.
      if (!value || typeof value !== 'object' || !plan || recordIdOf(value as Record<string, unknown>) === undefined) return value;
      const { verdict, patientId } = await decide(plan, value as Record<string, unknown>, {}, ctx.access);
      if (verdict.allow) return value;
      if (patientId !== undefined) ctx.audit.record(patientId, coordinate, verdict);
      throw notFound(record, typeof args.id === 'string' ? args.id : '');
    };
  }
  return byType as IMiddleware;
}
