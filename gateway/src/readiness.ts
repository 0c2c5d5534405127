import type { SubgraphName } from '@clinic/schema';

/** Each subgraph answers its own /readyz (database reachable) within a short time; the answer names each one. */
export async function subgraphsReady(subgraphUrls: Record<SubgraphName, string>, timeoutMs = 2_000): Promise<Record<SubgraphName, boolean>> {
  const entries = await Promise.all(
    Object.entries(subgraphUrls).map(async ([name, url]) => {
      const ok = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) }).then(
        (response) => response.ok,
        () => false,
      );
      return [`${name} subgraph`, ok] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<SubgraphName, boolean>;
}
