import { median } from './summary.js';

export const SIDES = ['A', 'B'] as const;
export type Side = (typeof SIDES)[number];

/**
 * Measures two sides in `pairs` pairs, alternating which goes first (A B, B A, A B, …), so that
 * the machine's other work and its drift over the run fall on both sides alike. `measured` is told
 * each finished pair (for progress).
 */
export async function interleaved<S>(pairs: number, measure: (side: Side) => Promise<S>, measured?: (pair: number, a: S, b: S) => void): Promise<Record<Side, S[]>> {
  const samples: Record<Side, S[]> = { A: [], B: [] };
  for (let pair = 0; pair < pairs; pair += 1) {
    for (const side of pair % 2 === 0 ? SIDES : [...SIDES].reverse()) samples[side].push(await measure(side));
    measured?.(pair, samples.A[pair] as S, samples.B[pair] as S);
  }
  return samples;
}

/**
 * Sends requests one after another until `requests` are sent or `seconds` have passed (after at
 * least one): a gateway started fresh runs its per-instance code (its compiled operations) cold
 * for hundreds of requests, and V8 compiles on its helper threads meanwhile, which would count as
 * the side's CPU. Answers how many it sent.
 */
export async function warmUp(send: () => Promise<void>, { requests, seconds }: { requests: number; seconds: number }, now: () => number = performance.now.bind(performance)): Promise<number> {
  const until = now() + seconds * 1000;
  let sent = 0;
  while (sent < requests && (sent === 0 || now() < until)) {
    await send();
    sent += 1;
  }
  return sent;
}

/** The median of the paired ratios b / a − 1 (0.15: B costs 15% more than A); null without a valid pair. */
export function pairedOverhead(a: readonly number[], b: readonly number[]): number | null {
  const ratios = a.flatMap((x, i) => {
    const y = b[i];
    return x > 0 && y !== undefined && Number.isFinite(y) ? [y / x - 1] : [];
  });
  return median(ratios);
}
