import { NEEDS_EMERGENCY_ACCESSES, type RowInput } from './checks.js';
import type { PatientAccessFacts } from './policy-client.js';
import type { RequestPolicy } from './request-policy.js';
import { allow, type Verdict } from './verdict.js';

export interface Explanation {
  /** Every check of the rule, in order, with what it decided for this reader and row; stops at the first refusal. */
  steps: { check: string; verdict: Verdict }[];
  decision: Verdict;
  patientId: string | undefined;
  /** The policy facts the row steps read (duties and restrictions of the reader toward the patient). */
  facts: PatientAccessFacts | undefined;
}

/**
 * `policy:explain`: the reader's compiled plan for a coordinate, run step by step on one row with
 * the same facts the gateway would load. It decides exactly as enforcement does (same plan, same
 * tests), and also says why at every step.
 */
export async function explainDecision(policy: RequestPolicy, coordinate: string, parent: Record<string, unknown> | undefined, args: Record<string, unknown>): Promise<Explanation> {
  const plan = policy.plans[policy.compiled.indexOf(coordinate)];
  if (!plan) throw new Error(`no rule for ${coordinate}`);
  const target = plan.target ?? plan.audit;
  const patientId = target ? await target.resolve(parent, args, policy) : undefined;
  const facts = plan.readsFacts && patientId !== undefined ? await policy.loadFacts(patientId) : undefined;
  const emergency = await policy.loadEmergency();
  const input: RowInput = { viewerId: policy.viewerId ?? '', parent, args, patientId, facts, emergency, today: policy.today };
  const steps: Explanation['steps'] = [];
  for (const { check, step } of plan.chain) {
    let verdict: Verdict;
    if (step.kind === 'pass') verdict = allow(step.because);
    else if (step.kind === 'deny') verdict = { allow: false, reason: step.reason, because: step.because };
    else {
      const tested = step.test(input);
      if (tested === NEEDS_EMERGENCY_ACCESSES) throw new Error('policy: emergency accesses asked after they were loaded');
      verdict = step.explain ? { ...tested, because: step.explain(input, tested) } : tested;
    }
    steps.push({ check, verdict });
    if (!verdict.allow) return { steps, decision: verdict, patientId, facts };
  }
  return { steps, decision: plan.end, patientId, facts };
}
