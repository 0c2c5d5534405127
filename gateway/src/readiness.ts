import type { SubgraphName } from '@clinic/schema';

/** Each subgraph answers its own /readyz (database reachable) within a short time. */
export async function subgraphsReady(subgraphUrls: Record<SubgraphName, string>, timeoutMs = 2_000): Promise<boolean> {
  const checks = Object.values(subgraphUrls).map(async (url) => {
    const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  });
  const results = await Promise.allSettled(checks);
  return results.every((r) => r.status === 'fulfilled' && r.value);
}
