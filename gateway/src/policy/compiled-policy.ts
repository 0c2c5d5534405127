import { createHash } from 'node:crypto';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { ROLES, type Role } from '@clinic/schema';
import type { Check, PatientTarget, Reader, RowInput, Step } from './checks.js';
import { NEEDS_EMERGENCY_ACCESSES } from './checks.js';
import { allow, deny, type Verdict } from './verdict.js';

export type RuleMap = Record<string, Record<string, Check[]>>;
export type RowFilterMap = Record<string, { rowType: string; keep: Check[] }>;

type RowStep = Extract<Step, { kind: 'row' }>;

/**
 * A field's rule compiled for one reader (a role, with or without two-factor authentication):
 * either decided whatever the row (`fixed`), or a few synchronous questions for the row's policy
 * facts (`rowSteps`) followed by `end`. Every tool reads this: enforcement, minimal disclosure,
 * the access matrix and `policy:explain`.
 */
export interface FieldPlan {
  coordinate: string;
  /** The verdict when it does not depend on the row. */
  fixed: Verdict | undefined;
  /** Questions for the row, in the rule's order; the first refusal wins. */
  rowSteps: readonly RowStep[];
  /** The verdict once every row step allowed: allow, or a refusal that comes after them (MFA). */
  end: Verdict;
  /** The patient the row steps are about. */
  target: PatientTarget | undefined;
  /** Whether a row step reads the target's policy facts (duties, restrictions); else only its id. */
  readsFacts: boolean;
  /** Declared by the rule: its decisions are recorded in the audit log under this patient. */
  audit: PatientTarget | undefined;
  /** Refused whatever the row: the value need not be fetched from the subgraph at all. */
  neverServed: boolean;
  /** Every check of the rule and what it compiled to, for reviewers. */
  chain: readonly { check: string; step: Step }[];
}

const ALLOWED = allow('every check of the rule passed');

/** Compiles one rule for one reader. */
export function compileRule(checks: readonly Check[], reader: Reader): FieldPlan {
  const chain = checks.map((check) => ({ check: check.name, step: check.compile(reader) }));
  const rowSteps: RowStep[] = [];
  let end: Verdict = ALLOWED;
  for (const { step } of chain) {
    if (step.kind === 'row') rowSteps.push(step);
    else if (step.kind === 'deny') {
      end = deny(step.reason, step.because);
      break;
    }
  }
  const targets = new Set(rowSteps.flatMap((s) => (s.target ? [s.target] : [])));
  if (targets.size > 1) throw new Error(`permissions: the rule of ${reader.coordinate} reads the facts of two different patients`);
  const fixed = rowSteps.length === 0 ? end : undefined;
  return {
    coordinate: reader.coordinate,
    fixed,
    rowSteps,
    end,
    target: [...targets][0],
    readsFacts: rowSteps.some((s) => s.target !== undefined && !s.factsFree),
    audit: checks.find((c) => c.audits)?.audits,
    neverServed: !end.allow,
    chain,
  };
}

/** Runs a plan's row steps on one row: a verdict, or a request for the reader's emergency accesses. */
export function runRowSteps(plan: FieldPlan, input: RowInput): Verdict | typeof NEEDS_EMERGENCY_ACCESSES {
  for (const step of plan.rowSteps) {
    const verdict = step.test(input);
    if (verdict === NEEDS_EMERGENCY_ACCESSES || !verdict.allow) return verdict;
  }
  return plan.end;
}

const readerKey = (role: Role | undefined, mfa: boolean) => `${role ?? 'ANONYMOUS'}${mfa ? '+mfa' : ''}`;

/** The rules file compiled once for every reader: one plan per field (and per filtered list) per reader. */
export interface CompiledPolicy {
  readonly rules: RuleMap;
  readonly rowFilters: RowFilterMap;
  /** Every guarded coordinate, rules then row filters (`rows:Query.appointments`), in a fixed order. */
  readonly coordinates: readonly string[];
  indexOf(coordinate: string): number;
  /** The plans of one reader, by coordinate index. */
  plansFor(role: Role | undefined, mfa: boolean): readonly FieldPlan[];
  plan(role: Role | undefined, mfa: boolean, coordinate: string): FieldPlan;
  /** The category of information a field belongs to, as its rule says (`Patient.phone` → CONTACT). */
  categoryOf(coordinate: string): string | undefined;
  /**
   * The version of these rules: a SHA-256 of what they compile to for every reader (see
   * rulesVersionOf). Every audit event records the version that decided it.
   */
  readonly version: string;
  /**
   * Whether the rules let this reader open an emergency access (OPENS_EMERGENCY_ACCESS): only such
   * a reader's open accesses are looked up, since no other reader can hold one that counts.
   */
  mayHoldEmergencyAccess(role: Role | undefined, mfa: boolean): boolean;
  /**
   * Whether any rule reads this reader's policy facts toward a patient (FieldPlan.readsFacts): only
   * then are they fetched with the records (a patient's own record needs none).
   */
  readsPatientFacts(role: Role | undefined, mfa: boolean): boolean;
}

/** The write that opens an emergency access (SPEC §7): whoever the rules let make it may hold one. */
export const OPENS_EMERGENCY_ACCESS = 'Mutation.openEmergencyAccess';

export const rowFilterCoordinate = (list: string) => `rows:${list}`;

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

/** Restriction names (`Patient.diagnoses`) that name no field of the schema: such a restriction would protect nothing. */
export function restrictionNamesWithoutFields(schema: GraphQLSchema, rules: RuleMap, rowFilters: RowFilterMap): string[] {
  const names = new Set(
    [...Object.values(rules).flatMap((fields) => Object.values(fields)), ...Object.values(rowFilters).map((f) => f.keep)]
      .flat()
      .flatMap((check) => check.restrictionNames ?? []),
  );
  return [...names].filter((name) => {
    const [typeName, field] = name.split('.');
    const type = typeName ? schema.getType(typeName) : undefined;
    return !field || !isObjectType(type) || !type.getFields()[field];
  });
}

/**
 * Throws unless the rules cover the schema exactly: a field without a rule, a rule for a field the
 * schema does not have, or a restriction name that names no field stops the gateway at start-up.
 */
export function assertPolicyCoversSchema(schema: GraphQLSchema, policy: Pick<CompiledPolicy, 'rules' | 'rowFilters'>): void {
  const problems = [
    ...fieldsWithoutRules(schema, policy.rules).map((c) => `no rule for ${c}`),
    ...rulesWithoutFields(schema, policy.rules).map((c) => `a rule for ${c}, which the supergraph does not have`),
    ...restrictionNamesWithoutFields(schema, policy.rules, policy.rowFilters).map((c) => `restriction name ${c} names no field`),
  ];
  if (problems.length > 0) throw new Error(`permissions: ${problems.join('; ')}`);
}

/** Compiles the rules file, once: one plan per guarded coordinate for every reader. */
export function compilePolicy(rules: RuleMap, rowFilters: RowFilterMap): CompiledPolicy {
  // A filtered list's rows are decided as the id of their row type.
  const sources: { coordinate: string; checks: readonly Check[]; decidedAs: string }[] = [
    ...Object.entries(rules).flatMap(([type, fields]) => Object.entries(fields).map(([field, checks]) => ({ coordinate: `${type}.${field}`, checks, decidedAs: `${type}.${field}` }))),
    ...Object.entries(rowFilters).map(([list, { rowType, keep }]) => ({ coordinate: rowFilterCoordinate(list), checks: keep, decidedAs: `${rowType}.id` })),
  ];
  const coordinates = sources.map((s) => s.coordinate);
  const index = new Map(coordinates.map((c, i) => [c, i]));
  const readers: [Role | undefined, boolean][] = [[undefined, false], [undefined, true], ...ROLES.flatMap((role) => [[role, false], [role, true]] as [Role, boolean][])];
  const plans = new Map<string, FieldPlan[]>();
  for (const [role, mfa] of readers) {
    plans.set(
      readerKey(role, mfa),
      sources.map(({ coordinate, checks, decidedAs }) => ({ ...compileRule(checks, { role, mfa, coordinate: decidedAs }), coordinate })),
    );
  }
  const readsFacts = new Map([...plans].map(([key, readerPlans]) => [key, readerPlans.some((p) => p.readsFacts)]));
  const categories = new Map(sources.map(({ coordinate, checks }) => [coordinate, checks.find((c) => c.category)?.category]));
  const plansFor = (role: Role | undefined, mfa: boolean) => {
    const found = plans.get(readerKey(role, mfa));
    if (!found) throw new Error(`permissions: no plans for ${readerKey(role, mfa)}`);
    return found;
  };
  return Object.freeze({
    rules,
    rowFilters,
    coordinates,
    version: rulesVersionOf(sources, readers.map(([role, mfa]) => [role, mfa, plansFor(role, mfa)] as const)),
    indexOf(coordinate: string) {
      const i = index.get(coordinate);
      if (i === undefined) throw new Error(`permissions: no rule for ${coordinate}`);
      return i;
    },
    plansFor,
    plan(role: Role | undefined, mfa: boolean, coordinate: string) {
      const i = index.get(coordinate);
      const plan = i === undefined ? undefined : plansFor(role, mfa)[i];
      if (!plan) throw new Error(`permissions: no rule for ${coordinate}`);
      return plan;
    },
    categoryOf: (coordinate: string) => categories.get(coordinate),
    // Rules without the write (a test's small rules file) look every reader's accesses up.
    readsPatientFacts: (role: Role | undefined, mfa: boolean) => readsFacts.get(readerKey(role, mfa)) ?? true,
    mayHoldEmergencyAccess: (role: Role | undefined, mfa: boolean) => {
      const i = index.get(OPENS_EMERGENCY_ACCESS);
      return i === undefined || plansFor(role, mfa)[i]?.end.allow === true;
    },
  });
}

const describeStep = (step: Step) =>
  step.kind === 'row' ? ['row', step.condition, step.target?.describe ?? null] : step.kind === 'deny' ? ['deny', step.reason, step.because] : ['pass'];

/**
 * A hash of the compiled rules, computed once: for every coordinate its category, the names of its
 * checks and their restriction names, and for every reader what each check compiled to. Two rules
 * files that decide alike for every reader (same checks, same conditions, same refusals) have the
 * same version; a changed grant, condition, category or check changes it.
 */
function rulesVersionOf(
  sources: readonly { coordinate: string; checks: readonly Check[] }[],
  readers: readonly (readonly [Role | undefined, boolean, readonly FieldPlan[]])[],
): string {
  const canonical = JSON.stringify([
    sources.map(({ coordinate, checks }) => [coordinate, checks.map((c) => [c.name, c.category ?? null, c.restrictionNames ?? [], c.audits?.describe ?? null])]),
    readers.map(([role, mfa, plans]) => [role ?? null, mfa, plans.map((plan) => [plan.coordinate, plan.chain.map(({ step }) => describeStep(step)), plan.end.allow ? 'allow' : plan.end.reason, plan.neverServed])]),
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** The fields whose rule can refuse or records a decision: only they get a graphql-shield wrapper. */
export function fieldsToWrap(rules: RuleMap): Set<string> {
  const wrapped = new Set<string>();
  for (const [type, fields] of Object.entries(rules)) {
    for (const [field, checks] of Object.entries(fields)) {
      if (!checks.every((check) => check.decidesNothing)) wrapped.add(`${type}.${field}`);
    }
  }
  return wrapped;
}
