import { GraphQLError, getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { chain, rule, shield } from 'graphql-shield';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import type { AccessContext } from './access-context.js';
import type { Check, CheckInput } from './checks.js';
import { forbidden } from './verdict.js';
import type { RuleMap } from '../permissions.js';

export interface ShieldContext {
  access: AccessContext;
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

/** Runs a rule's checks in order; the first refusal wins. Shared by graphql-shield, row filters and `policy:explain`. */
export async function evaluateChecks(checks: readonly Check[], input: CheckInput) {
  const steps: { check: string; verdict: Awaited<ReturnType<Check['evaluate']>> }[] = [];
  for (const check of checks) {
    const verdict = await check.evaluate(input);
    steps.push({ check: check.name, verdict });
    if (!verdict.allow) return { allowed: false as const, reason: verdict.reason, steps };
  }
  return { allowed: true as const, steps };
}

/**
 * The rule map as graphql-shield rules: each check becomes one named rule (row-independent ones are
 * cached per request), each field a `chain` of them. Fallback: deny.
 */
export function shieldFromRules(schema: GraphQLSchema, rules: RuleMap): IMiddlewareGenerator<unknown, ShieldContext, unknown> {
  const missing = fieldsWithoutRules(schema, rules);
  if (missing.length > 0) throw new Error(`permissions: no rule for ${missing.join(', ')}`);
  const unknown = rulesWithoutFields(schema, rules);
  if (unknown.length > 0) throw new Error(`permissions: rules for fields the supergraph does not have: ${unknown.join(', ')}`);

  // One shield rule per check name: names carry every parameter (category, field, target), so equal
  // names mean equal checks; graphql-shield refuses two different rules under one name.
  const shieldRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();
  const toShieldRule = (check: Check) => {
    let made = shieldRules.get(check.name);
    if (!made) {
      made = rule(check.name, { cache: check.perRow ? 'no_cache' : 'contextual' })(async (parent, args, ctx: ShieldContext, info) => {
        // graphql-shield turns a thrown error into a bare refusal: return it instead, so bad input
        // reads as BAD_USER_INPUT and a failed policy look-up as an internal error (field not served).
        try {
          const verdict = await check.evaluate({ type: info.parentType.name, field: info.fieldName, parent, args, ctx: ctx.access });
          return verdict.allow ? true : forbidden(verdict.reason, `${info.parentType.name}.${info.fieldName}`);
        } catch (err) {
          return err instanceof Error ? err : new Error('policy check failed');
        }
      });
      shieldRules.set(check.name, made);
    }
    return made;
  };
  const ruleTree = Object.fromEntries(
    Object.entries(rules).map(([type, fields]) => [
      type,
      Object.fromEntries(Object.entries(fields).map(([field, checks]) => [field, chain(...checks.map(toShieldRule))])),
    ]),
  );
  return shield(ruleTree, {
    fallbackRule: rule('denyByDefault', { cache: 'contextual' })(async () => new GraphQLError('Not allowed (ROLE)', { extensions: { code: 'FORBIDDEN', reason: 'ROLE' } })),
    fallbackError: () => forbidden('ROLE', 'this field'),
    // Errors from the subgraphs (BAD_USER_INPUT, NOT_FOUND) reach the caller as they are.
    allowExternalErrors: true,
    debug: false,
  }) as unknown as IMiddlewareGenerator<unknown, ShieldContext, unknown>;
}

/** The type a field's rows have, for row filters. */
export function rowTypeOf(schema: GraphQLSchema, coordinate: string): string | undefined {
  const [typeName, fieldName] = coordinate.split('.');
  const type = typeName ? schema.getType(typeName) : undefined;
  const field = isObjectType(type) && fieldName ? type.getFields()[fieldName] : undefined;
  return field ? getNamedType(field.type).name : undefined;
}
