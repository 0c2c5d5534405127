import { LOOK_UP, NEEDS_EMERGENCY_ACCESSES, type RowInput } from './checks.js';
import { runRowSteps, type FieldPlan } from './compiled-policy.js';
import type { RequestPolicy } from './request-policy.js';
import type { Verdict } from './verdict.js';

/** A field's verdict on one row, and the patient it is about (for the audit log). */
export interface Decision {
  verdict: Verdict;
  patientId: string | undefined;
}

/**
 * Decides a field on one row from the request's facts. Synchronous when the facts are at hand
 * (they travel with the record, or an earlier row of the list loaded them): the common case costs
 * a few property reads. Otherwise it waits for the batched look-up, then decides the same way.
 */
export function decide(plan: FieldPlan, parent: Record<string, unknown> | undefined, args: Record<string, unknown>, policy: RequestPolicy, into?: Decision): Decision | Promise<Decision> {
  return decideNow(plan, parent, args, policy, into) ?? decideLater(plan, parent, args, policy);
}

/**
 * A decision made at once is written `into` the caller's own object when it gives one (a caller
 * that reads it before deciding again: the guarded fields of a list's rows then allocate nothing).
 */
function decideNow(plan: FieldPlan, parent: Record<string, unknown> | undefined, args: Record<string, unknown>, policy: RequestPolicy, into: Decision | undefined): Decision | undefined {
  const target = plan.target ?? plan.audit;
  let patientId: string | undefined;
  if (target) {
    const found = target.now(parent, args, policy);
    if (found === LOOK_UP) return undefined;
    patientId = found;
  }
  if (plan.fixed) return decided(into, plan.fixed, patientId);
  let facts;
  if (plan.readsFacts && patientId !== undefined) {
    facts = policy.factsNow(patientId, parent);
    if (!facts) return undefined;
  }
  const verdict = runSteps(plan, policy, parent, args, patientId, facts);
  return verdict === NEEDS_EMERGENCY_ACCESSES ? undefined : decided(into, verdict, patientId);
}

function decided(into: Decision | undefined, verdict: Verdict, patientId: string | undefined): Decision {
  if (!into) return { verdict, patientId };
  into.verdict = verdict;
  into.patientId = patientId;
  return into;
}

async function decideLater(plan: FieldPlan, parent: Record<string, unknown> | undefined, args: Record<string, unknown>, policy: RequestPolicy): Promise<Decision> {
  const target = plan.target ?? plan.audit;
  const patientId = target ? await target.resolve(parent, args, policy) : undefined;
  if (plan.fixed) return { verdict: plan.fixed, patientId };
  const facts = plan.readsFacts && patientId !== undefined ? await policy.loadFacts(patientId) : undefined;
  let verdict = runSteps(plan, policy, parent, args, patientId, facts);
  if (verdict === NEEDS_EMERGENCY_ACCESSES) {
    await policy.loadEmergency();
    verdict = runSteps(plan, policy, parent, args, patientId, facts);
    if (verdict === NEEDS_EMERGENCY_ACCESSES) throw new Error('policy: emergency accesses asked after they were loaded');
  }
  return { verdict, patientId };
}

/**
 * What the row steps see, written into one object: steps are synchronous and keep nothing of their
 * input, so one object serves every decision (a list of 100 patients makes hundreds). Its
 * references to the row are dropped once the steps have run.
 */
const NO_ARGS: Record<string, unknown> = Object.freeze({});
const ROW_INPUT: RowInput = { viewerId: '', parent: undefined, args: NO_ARGS, patientId: undefined, facts: undefined, emergency: undefined, today: '' };

function runSteps(
  plan: FieldPlan,
  policy: RequestPolicy,
  parent: Record<string, unknown> | undefined,
  args: Record<string, unknown>,
  patientId: string | undefined,
  facts: RowInput['facts'],
): Verdict | typeof NEEDS_EMERGENCY_ACCESSES {
  ROW_INPUT.viewerId = policy.viewerId ?? '';
  ROW_INPUT.parent = parent;
  ROW_INPUT.args = args;
  ROW_INPUT.patientId = patientId;
  ROW_INPUT.facts = facts;
  ROW_INPUT.emergency = policy.emergency;
  ROW_INPUT.today = policy.today;
  try {
    return runRowSteps(plan, ROW_INPUT);
  } finally {
    ROW_INPUT.parent = undefined;
    ROW_INPUT.args = NO_ARGS;
    ROW_INPUT.facts = undefined;
    ROW_INPUT.emergency = undefined;
  }
}
