import { GraphQLError, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { rule, shield } from 'graphql-shield';
import type { IMiddlewareFieldMap } from 'graphql-middleware';
import type { GatewayContext } from '../context.js';
import { fieldsToWrap, type CompiledPolicy } from './compiled-policy.js';
import { decide, type Decision } from './decide.js';
import { forbidden } from './verdict.js';

type ShieldResult = boolean | Error;

/**
 * The compiled policy as graphql-shield rules: one rule per guarded field, which reads the
 * reader's plan for that field and decides on the row's facts (synchronously when they are at
 * hand), records the decision where the rule says it is audited, and logs an allowed write to a
 * patient's record before it runs. Fallback: deny. Only the fields `fieldsToWrap` names are wrapped.
 */
export function shieldFromPolicy(schema: GraphQLSchema, policy: CompiledPolicy): IMiddlewareFieldMap {
  const wrapped = fieldsToWrap(policy.rules);
  const mutationType = schema.getMutationType()?.name;
  const ruleTree: Record<string, Record<string, ReturnType<ReturnType<typeof rule>>>> = {};
  for (const coordinate of wrapped) {
    const [type, field] = coordinate.split('.') as [string, string];
    const index = policy.indexOf(coordinate);
    const isWrite = type === mutationType;
    const finish = (decision: Decision, ctx: GatewayContext, info: GraphQLResolveInfo): ShieldResult | Promise<ShieldResult> => {
      const { verdict, patientId } = decision;
      const audited = patientId !== undefined && ctx.access.plans[index]?.audit;
      if (audited && isWrite && verdict.allow) {
        return ctx.audit.writeAhead(patientId, coordinate, info.operation.name?.value ?? null).then(() => true, (err: Error) => err);
      }
      if (audited) ctx.audit.record(patientId, coordinate, verdict);
      return verdict.allow ? true : forbidden(verdict.reason, coordinate);
    };
    ruleTree[type] ??= {};
    ruleTree[type][field] = rule(coordinate, { cache: 'no_cache' })((parent: Record<string, unknown> | undefined, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => {
      // graphql-shield turns a thrown error into a bare refusal: return it instead, so bad input
      // reads as BAD_USER_INPUT and a failed policy look-up as an internal error (field not served).
      try {
        const plan = ctx.access.plans[index];
        if (!plan) return new Error('policy: no plan for this field');
        if (plan.fixed && !plan.audit) return plan.fixed.allow ? true : forbidden(plan.fixed.reason, coordinate);
        const decision = decide(plan, parent, args, ctx.access);
        return decision instanceof Promise
          ? decision.then((d) => finish(d, ctx, info), (err: unknown) => (err instanceof Error ? err : new Error('policy check failed')))
          : finish(decision, ctx, info);
      } catch (err) {
        return err instanceof Error ? err : new Error('policy check failed');
      }
    });
  }
  const generator = shield(ruleTree, {
    fallbackRule: rule('denyByDefault', { cache: 'contextual' })(() => new GraphQLError('Not allowed (ROLE)', { extensions: { code: 'FORBIDDEN', reason: 'ROLE' } })),
    fallbackError: () => forbidden('ROLE', 'this field'),
    // Errors from the subgraphs (BAD_USER_INPUT, NOT_FOUND) reach the caller as they are.
    allowExternalErrors: true,
    debug: false,
  }) as unknown as { generate(schema: GraphQLSchema): IMiddlewareFieldMap };
  // graphql-shield wraps every field (the fallback rule where none is given); keep only the wrappers of fields that decide.
  const fieldMap = generator.generate(schema);
  return Object.fromEntries(
    Object.entries(fieldMap).map(([type, fields]) => [
      type,
      Object.fromEntries(
        Object.entries(fields as Record<string, unknown>)
          .filter(([field]) => wrapped.has(`${type}.${field}`))
          .map(([field, middleware]) => [field, passFixedAllow(middleware, policy.indexOf(`${type}.${field}`))]),
      ),
    ]),
  ) as IMiddlewareFieldMap;
}

type FieldResolve = (parent: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => unknown;
type FieldMiddleware = (resolve: FieldResolve, parent: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => unknown;

/**
 * A field whose plan for this reader is a fixed Allow with nothing audited skips graphql-shield's
 * wrapper: its rule could only answer `true`, after which graphql-shield calls the resolver. The
 * wrapper's awaits would make every cell of every row a promise; a field that may refuse, or whose
 * decision is recorded, still goes through graphql-shield (and its deny-by-default fallback).
 */
function passFixedAllow(middleware: unknown, index: number): unknown {
  if (typeof middleware !== 'function') return middleware;
  const shielded = middleware as FieldMiddleware;
  const pass: FieldMiddleware = (resolve, parent, args, ctx, info) => {
    const plan = ctx.access.plans[index];
    return plan?.fixed?.allow && !plan.audit ? resolve(parent, args, ctx, info) : shielded(resolve, parent, args, ctx, info);
  };
  return pass;
}
