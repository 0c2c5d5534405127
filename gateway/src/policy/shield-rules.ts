import { GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';
import { rule, shield } from 'graphql-shield';
import type { IMiddlewareFieldMap } from 'graphql-middleware';
import type { AccessRecorder } from '../audit/access-recorder.js';
import type { AccessContext } from './access-context.js';
import { patientOf, type Check, type CheckInput } from './checks.js';
import { forbidden, type DenialReason, type Verdict } from './verdict.js';
import type { RuleMap } from '../permissions.js';

export interface ShieldContext {
  access: AccessContext;
  audit?: AccessRecorder;
}

/** Every field of every object type of the schema without a rule (introspection types aside). */
export function fieldsWithoutRules(schema: GraphQLSchema, rules: RuleMap): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.keys(type.getFields())) {
      if (!rules[type.name]?.[field]?.length) missing.push(`${type.name}.${field}`);
    }
  }
  return missing;
}

/** Rules that name a field the schema does not have (a typo would otherwise protect nothing). */
export function rulesWithoutFields(schema: GraphQLSchema, rules: RuleMap): string[] {
  return Object.entries(rules).flatMap(([typeName, fields]) => {
    const type = schema.getType(typeName);
    return Object.keys(fields)
      .filter((field) => !isObjectType(type) || !type.getFields()[field])
      .map((field) => `${typeName}.${field}`);
  });
}

/**
 * The fields whose rule can refuse or records a decision: only they get a graphql-shield wrapper.
 * Every other field has a rule too (start-up refuses a field without one); its rule only says the
 * field that reached it decided, so wrapping it would cost every row and decide nothing.
 */
export function fieldsToWrap(rules: RuleMap): Set<string> {
  const wrapped = new Set<string>();
  for (const [type, fields] of Object.entries(rules)) {
    for (const [field, checks] of Object.entries(fields)) {
      if (!checks.every((check) => check.decidesNothing)) wrapped.add(`${type}.${field}`);
    }
  }
  return wrapped;
}

type Outcome = { allowed: true } | { allowed: false; reason: DenialReason };
type Step = { check: string; verdict: Verdict };

/**
 * Runs a rule's checks in order; the first refusal wins. Shared by graphql-shield, the row filters
 * and `policy:explain`, which alone passes `steps` to learn every verdict and why.
 */
export async function decide(checks: readonly Check[], input: CheckInput, steps?: Step[]): Promise<Outcome> {
  for (const check of checks) {
    const verdict = await check.evaluate(input);
    steps?.push({ check: check.name, verdict });
    if (!verdict.allow) return { allowed: false, reason: verdict.reason };
  }
  return { allowed: true };
}

/** The decision with every step and why (`policy:explain`). */
export async function evaluateChecks(checks: readonly Check[], input: CheckInput): Promise<Outcome & { steps: Step[] }> {
  const steps: Step[] = [];
  return { ...(await decide(checks, input, steps)), steps };
}

/** Records a decision under the patient the rule is about, when it is about one (never throws). */
export async function recordDecision(checks: readonly Check[], input: CheckInput, audit: AccessRecorder | undefined, outcome: Outcome): Promise<void> {
  const target = audit ? checks.find((c) => c.target)?.target : undefined;
  if (!audit || !target) return;
  const patientId = await patientOf(target, input).catch(() => undefined);
  if (patientId) audit.record(patientId, `${input.type}.${input.field}`, outcome.allowed ? { allowed: true } : { allowed: false, reason: outcome.reason });
}

/** An allowed mutation on a patient's record is logged before it runs; throws when it cannot be. */
async function writeAheadDecision(checks: readonly Check[], input: CheckInput, audit: AccessRecorder | undefined, operationName: string | null): Promise<void> {
  const target = audit ? checks.find((c) => c.target)?.target : undefined;
  if (!audit || !target) return;
  const patientId = await patientOf(target, input).catch(() => undefined);
  if (patientId) await audit.recordWriteAhead(patientId, `${input.type}.${input.field}`, operationName);
}

/**
 * The rule map as graphql-shield rules: each field's checks run in order as one named rule (its
 * name lists them), so the decision the gateway takes is the one `policy:explain` prints, and it is
 * recorded for the audit log. Fallback: deny. Only the fields `fieldsToWrap` names are wrapped.
 */
export function shieldFromRules(schema: GraphQLSchema, rules: RuleMap): IMiddlewareFieldMap {
  const missing = fieldsWithoutRules(schema, rules);
  if (missing.length > 0) throw new Error(`permissions: no rule for ${missing.join(', ')}`);
  const unknown = rulesWithoutFields(schema, rules);
  if (unknown.length > 0) throw new Error(`permissions: rules for fields the supergraph does not have: ${unknown.join(', ')}`);

  // One shield rule per distinct chain: its name lists every check, so equal names mean equal rules.
  const shieldRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();
  const toShieldRule = (checks: readonly Check[]) => {
    const name = checks.map((c) => c.name).join(' → ');
    let made = shieldRules.get(name);
    if (!made) {
      const perRow = checks.some((c) => c.perRow);
      made = rule(name, { cache: perRow ? 'no_cache' : 'contextual' })(async (parent, args, ctx: ShieldContext, info) => {
        // graphql-shield turns a thrown error into a bare refusal: return it instead, so bad input
        // reads as BAD_USER_INPUT and a failed policy look-up as an internal error (field not served).
        try {
          const input = { type: info.parentType.name, field: info.fieldName, parent, args, ctx: ctx.access };
          const outcome = await decide(checks, input);
          if (outcome.allowed && info.parentType === info.schema.getMutationType()) {
            await writeAheadDecision(checks, input, ctx.audit, info.operation.name?.value ?? null);
          } else {
            await recordDecision(checks, input, ctx.audit, outcome);
          }
          return outcome.allowed ? true : forbidden(outcome.reason, `${info.parentType.name}.${info.fieldName}`);
        } catch (err) {
          return err instanceof Error ? err : new Error('policy check failed');
        }
      });
      shieldRules.set(name, made);
    }
    return made;
  };
  const wrapped = fieldsToWrap(rules);
  const ruleTree = Object.fromEntries(
    Object.entries(rules).map(([type, fields]) => [
      type,
      Object.fromEntries(Object.entries(fields).filter(([field]) => wrapped.has(`${type}.${field}`)).map(([field, checks]) => [field, toShieldRule(checks)])),
    ]),
  );
  const generator = shield(ruleTree, {
    fallbackRule: rule('denyByDefault', { cache: 'contextual' })(async () => new GraphQLError('Not allowed (ROLE)', { extensions: { code: 'FORBIDDEN', reason: 'ROLE' } })),
    fallbackError: () => forbidden('ROLE', 'this field'),
    // Errors from the subgraphs (BAD_USER_INPUT, NOT_FOUND) reach the caller as they are.
    allowExternalErrors: true,
    debug: false,
  }) as unknown as { generate(schema: GraphQLSchema): IMiddlewareFieldMap };
  // graphql-shield wraps every field (the fallback rule where none is given); keep only the wrappers of fields that decide.
  const fieldMap = generator.generate(schema);
  return Object.fromEntries(
    Object.entries(fieldMap).map(([type, fields]) => [type, Object.fromEntries(Object.entries(fields as Record<string, unknown>).filter(([field]) => wrapped.has(`${type}.${field}`)))]),
  ) as IMiddlewareFieldMap;
}
