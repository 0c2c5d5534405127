import { responsePathAsArray } from 'graphql';
import type { IMiddleware } from 'graphql-middleware';
import type { GatewayContext } from '../context.js';
import type { Check } from './checks.js';
import { decide, recordDecision } from './shield-rules.js';

/** Keeps the rows of a list the reader may read; counts the others in the request's `withheld`. */
export function rowFilterMiddleware(filters: Record<string, { rowType: string; keep: Check[] }>): IMiddleware {
  const byType: Record<string, Record<string, unknown>> = {};
  for (const [coordinate, { rowType, keep }] of Object.entries(filters)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    byType[typeName] ??= {};
    byType[typeName][fieldName] = async (resolve: (...a: unknown[]) => Promise<unknown>, parent: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: import('graphql').GraphQLResolveInfo) => {
      const rows = await resolve(parent, args, ctx, info);
      if (!Array.isArray(rows)) return rows;
      const outcomes = await Promise.all(
        rows.map(async (row: Record<string, unknown>) => {
          const input = { type: rowType, field: 'id', parent: row, args: {}, ctx: ctx.access };
          const outcome = await decide(keep, input);
          // Withheld rows are denials of that patient's information: the audit log records them.
          if (!outcome.allowed) await recordDecision(keep, input, ctx.audit, outcome);
          return outcome;
        }),
      );
      const kept = rows.filter((_, index) => outcomes[index]?.allowed);
      const refused = outcomes.find((o) => !o.allowed);
      if (refused && !refused.allowed) {
        ctx.withheld.push({ path: responsePathAsArray(info.path), count: rows.length - kept.length, reason: refused.reason });
      }
      return kept;
    };
  }
  return byType as IMiddleware;
}
