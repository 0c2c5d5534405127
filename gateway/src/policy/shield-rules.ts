import { GraphQLError, isListType, isNonNullType, isObjectType, type GraphQLOutputType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { rule, shield } from 'graphql-shield';
import type { IMiddlewareFieldMap } from 'graphql-middleware';
import type { GatewayContext } from '../context.js';
import { fieldsToWrap, type CompiledPolicy } from './compiled-policy.js';
import { decide, type Decision } from './decide.js';
import { recordIdOf } from './record-keys.js';
import { deny, forbidden } from './verdict.js';

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
  const queryType = schema.getQueryType()?.name;
  const ruleTree: Record<string, Record<string, ReturnType<ReturnType<typeof rule>>>> = {};
  const checks = new Map<string, FieldRule>();
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
    // The rule's decision, side-effect free: synchronous when the row's facts are at hand.
    const decideField = (parent: Record<string, unknown> | undefined, args: Record<string, unknown>, ctx: GatewayContext, into?: Decision): Decision | Promise<Decision> | Error => {
      const plan = ctx.access.plans[index];
      if (!plan) return new Error('policy: no plan for this field');
      return decide(plan, parent, args, ctx.access, into);
    };
    const fieldRule = new FieldRule(decideField, finish);
    const check: FieldCheck = (parent, args, ctx, info) => {
      // graphql-shield turns a thrown error into a bare refusal: return it instead, so bad input
      // reads as BAD_USER_INPUT and a failed policy look-up as an internal error (field not served).
      try {
        const plan = ctx.access.plans[index];
        if (plan?.fixed && !plan.audit) return plan.fixed.allow ? true : forbidden(plan.fixed.reason, coordinate);
        const decision = fieldRule.takePending(parent) ?? decideField(parent, args, ctx);
        if (decision instanceof Error) return decision;
        return decision instanceof Promise
          ? decision.then((d) => finish(d, ctx, info), (err: unknown) => (err instanceof Error ? err : new Error('policy check failed')))
          : finish(decision, ctx, info);
      } catch (err) {
        return err instanceof Error ? err : new Error('policy check failed');
      }
    };
    checks.set(coordinate, fieldRule);
    ruleTree[type] ??= {};
    ruleTree[type][field] = rule(coordinate, { cache: 'no_cache' })(check);
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
          .map(([field, middleware]) => {
            const coordinate = `${type}.${field}`;
            const fieldRule = checks.get(coordinate);
            if (type === mutationType || !fieldRule) return [field, middleware];
            return [field, decidedInline(middleware, policy.indexOf(coordinate), fieldRule, type === queryType && returnsOnePatient(schema, type, field) ? coordinate : undefined)];
          }),
      ),
    ]),
  ) as IMiddlewareFieldMap;
}

type FieldResolve = (parent: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => unknown;
type FieldMiddleware = (resolve: FieldResolve, parent: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => unknown;
type FieldCheck = (parent: Record<string, unknown> | undefined, args: Record<string, unknown>, ctx: GatewayContext, info: GraphQLResolveInfo) => ShieldResult | Promise<ShieldResult>;

type FieldDecision = Decision | Promise<Decision> | Error;

/** What a FieldRule's own decision holds before its first: a refusal, never read as an answer. */
const UNDECIDED = deny('ROLE', 'not decided yet');

/**
 * A guarded field's rule in its parts: the side-effect-free decision, and what follows it (audit,
 * refusal). A decision still waiting for facts is handed to graphql-shield's wrapper, which calls
 * the rule at once (synchronously): the rule takes it instead of deciding, and asking, again.
 */
class FieldRule {
  private pending: { parent: unknown; decision: Promise<Decision> } | undefined;
  /** Where a decision made at once is written, finished (recorded, refused) before the next is made. */
  readonly madeAtOnce: Decision = { verdict: UNDECIDED, patientId: undefined };

  constructor(
    readonly decideField: (parent: Record<string, unknown> | undefined, args: Record<string, unknown>, ctx: GatewayContext, into?: Decision) => FieldDecision,
    readonly finish: (decision: Decision, ctx: GatewayContext, info: GraphQLResolveInfo) => ShieldResult | Promise<ShieldResult>,
  ) {}

  /** Runs graphql-shield's wrapper with a decision already under way for this row. */
  handOver(decision: Promise<Decision>, parent: unknown, run: () => unknown): unknown {
    this.pending = { parent, decision };
    try {
      return run();
    } finally {
      this.pending = undefined;
    }
  }

  /** The decision handed over for this row, once; undefined when there is none. */
  takePending(parent: unknown): Promise<Decision> | undefined {
    const pending = this.pending;
    if (!pending || pending.parent !== parent) return undefined;
    this.pending = undefined;
    return pending.decision;
  }
}

/**
 * A read whose decision is at hand costs a synchronous look-up, not graphql-shield's promise chain:
 * - a fixed Allow with nothing audited calls the resolver (the rule could only answer `true`);
 * - a decision made from the facts the response already holds is finished (recorded, refused) here,
 *   and the resolver is called only on an allowance, exactly as graphql-shield would;
 * - anything else (facts still to load, a failed look-up) goes through graphql-shield's own
 *   wrapper, which takes over the decision under way (or decides again: deciding has no side
 *   effect and the look-up is batched and cached).
 * Writes never come here: their allowance is logged before they run, once, by graphql-shield's path.
 */
function decidedInline(middleware: unknown, index: number, fieldRule: FieldRule, returnsTheNamedPatient: string | undefined): unknown {
  if (typeof middleware !== 'function') return middleware;
  const shielded = middleware as FieldMiddleware;
  const inline: FieldMiddleware = (resolve, parent, args, ctx, info) => {
    const plan = ctx.access.plans[index];
    if (plan?.fixed?.allow && !plan.audit) return resolve(parent, args, ctx, info);
    if (returnsTheNamedPatient && plan?.fixed?.allow && plan.audit?.namedPatientId) {
      const allowed = plan.fixed;
      let named: string | undefined;
      try {
        named = plan.audit.namedPatientId(args);
      } catch {
        // A malformed id: graphql-shield's path answers BAD_USER_INPUT.
        return shielded(resolve, parent, args, ctx, info);
      }
      // The read is allowed whoever the patient is; the log names only a patient who exists, and
      // the record coming back says so, without asking the patient subgraph beforehand.
      return afterValue(resolve(parent, args, ctx, info), (record) => {
        if (recordIdOf(record as Record<string, unknown> | undefined) === named) ctx.audit.record(named, returnsTheNamedPatient, allowed);
      });
    }
    let decision: FieldDecision;
    try {
      decision = fieldRule.decideField(parent as Record<string, unknown> | undefined, args, ctx, fieldRule.madeAtOnce);
    } catch {
      return shielded(resolve, parent, args, ctx, info);
    }
    if (decision instanceof Promise) return fieldRule.handOver(decision, parent, () => shielded(resolve, parent, args, ctx, info));
    if (decision instanceof Error) return shielded(resolve, parent, args, ctx, info);
    const outcome = fieldRule.finish(decision, ctx, info);
    if (outcome === true) return resolve(parent, args, ctx, info);
    return outcome;
  };
  return inline;
}

/** Runs `then` on a resolver's value once it is there (at once when it is not a promise); the value is unchanged. */
function afterValue(value: unknown, then: (value: unknown) => void): unknown {
  if (value instanceof Promise) {
    return value.then((settled: unknown) => {
      then(settled);
      return settled;
    });
  }
  then(value);
  return value;
}

/** Whether a field answers one record of the patient type (not a list): its value says whether the patient exists. */
function returnsOnePatient(schema: GraphQLSchema, type: string, field: string): boolean {
  const parent = schema.getType(type);
  let output: GraphQLOutputType | undefined = isObjectType(parent) ? parent.getFields()[field]?.type : undefined;
  if (output && isNonNullType(output)) output = output.ofType;
  return output !== undefined && !isListType(output) && isObjectType(output) && output.name === PATIENT_TYPE;
}

const PATIENT_TYPE = 'Patient';
