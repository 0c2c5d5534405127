import type { SubgraphName } from '@clinic/schema';

/** The kept supergraph with its subgraph URLs replaced by the running subgraphs'. */
export function supergraphWithUrls(sdl: string, urls: Record<SubgraphName, string>): string {
  let replaced = 0;
  const out = sdl.replace(/(@join__graph\(name: "(\w+)", url: ")[^"]*(")/g, (_match, head: string, name: string, tail: string) => {
    const url = urls[name as SubgraphName];
    if (!url) throw new Error(`bench: the supergraph names an unknown subgraph ${name}`);
    replaced += 1;
    return `${head}${url}${tail}`;
  });
  if (replaced !== Object.keys(urls).length) throw new Error(`bench: replaced ${replaced} subgraph URLs in the supergraph, expected ${Object.keys(urls).length}`);
  return out;
}
