import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { IMiddleware } from 'graphql-middleware';
import type { GatewayContext } from '../context.js';
import { rowFilterCoordinate, type CompiledPolicy } from './compiled-policy.js';
import { decide, type Decision } from './decide.js';

/** Keeps the rows of a list the reader may read; counts the others in the request's withheld rows. */
export function rowFilterMiddleware(policy: CompiledPolicy): IMiddleware {
  const byType: Record<string, Record<string, unknown>> = {};
  for (const [list, { rowType }] of Object.entries(policy.rowFilters)) {
    const [typeName, fieldName] = list.split('.') as [string, string];
    const index = policy.indexOf(rowFilterCoordinate(list));
    const recordAs = `${rowType}.id`;
    byType[typeName] ??= {};
    byType[typeName][fieldName] = async (resolve: (...a: unknown[]) => Promise<unknown>, parent: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => {
      const rows = await resolve(parent, args, ctx, info);
      const plan = ctx.access.plans[index];
      if (!Array.isArray(rows) || !plan) return rows;
      const decisions: Decision[] = await Promise.all(rows.map((row: Record<string, unknown>) => decide(plan, row, {}, ctx.access)));
      const kept = rows.filter((_, i) => decisions[i]?.verdict.allow);
      let reason: string | undefined;
      for (const { verdict, patientId } of decisions) {
        if (verdict.allow) continue;
        reason ??= verdict.reason;
        // Withheld rows are denials of that patient's information: the audit log records them.
        if (patientId !== undefined && plan.audit) ctx.audit.record(patientId, recordAs, verdict);
      }
      if (reason) ctx.withheld.add({ path: responsePathAsArray(info.path), count: rows.length - kept.length, reason });
      return kept;
    };
  }
  return byType as IMiddleware;
}
