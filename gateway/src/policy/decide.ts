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
export function decide(plan: FieldPlan, parent: Record<string, unknown> | undefined, args: Record<string, unknown>, policy: RequestPolicy): Decision | Promise<Decision> {
  return decideNow(plan, parent, args, policy) ?? decideLater(plan, parent, args, policy);
}

function decideNow(plan: FieldPlan, parent: Record<string, unknown> | undefined, args: Record<string, unknown>, policy: RequestPolicy): Decision | undefined {
  const target = plan.target ?? plan.audit;
  let patientId: string | undefined;
  if (target) {
    const found = target.now(parent, args, policy);
    if (found === LOOK_UP) return undefined;
    patientId = found;
  }
  if (plan.fixed) return { verdict: plan.fixed, patientId };
  let facts;
  if (plan.readsFacts && patientId !== undefined) {
    facts = policy.factsNow(patientId, parent);
    if (!facts) return undefined;
  }
  const verdict = runRowSteps(plan, rowInput(policy, parent, args, patientId, facts));
  return verdict === NEEDS_EMERGENCY_ACCESSES ? undefined : { verdict, patientId };
}

async function decideLater(plan: FieldPlan, parent: Record<string, unknown> | undefined, args: Record<string, unknown>, policy: RequestPolicy): Promise<Decision> {
  const target = plan.target ?? plan.audit;
  const patientId = target ? await target.resolve(parent, args, policy) : undefined;
  if (plan.fixed) return { verdict: plan.fixed, patientId };
  const facts = plan.readsFacts && patientId !== undefined ? await policy.loadFacts(patientId) : undefined;
  let verdict = runRowSteps(plan, rowInput(policy, parent, args, patientId, facts));
  if (verdict === NEEDS_EMERGENCY_ACCESSES) {
    await policy.loadEmergency();
    verdict = runRowSteps(plan, rowInput(policy, parent, args, patientId, facts));
    if (verdict === NEEDS_EMERGENCY_ACCESSES) throw new Error('policy: emergency accesses asked after they were loaded');
  }
  return { verdict, patientId };
}

function rowInput(policy: RequestPolicy, parent: Record<string, unknown> | undefined, args: Record<string, unknown>, patientId: string | undefined, facts: RowInput['facts']): RowInput {
  return { viewerId: policy.viewerId ?? '', parent, args, patientId, facts, emergency: policy.emergency, today: policy.today };
}
