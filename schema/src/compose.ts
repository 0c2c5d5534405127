import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from './subgraphs.js';

export const supergraphPath = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

export type CompositionOutcome = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/** Composes the subgraph SDL files into a supergraph with Apollo's composition library. */
export function composeSupergraph(): CompositionOutcome {
  const services = SUBGRAPHS.map((s) => ({
    name: s.name,
    url: `http://localhost:${s.defaultPort}/graphql`,
    typeDefs: parse(readFileSync(s.sdlPath, 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors || !result.supergraphSdl) {
    return { ok: false, errors: (result.errors ?? []).map((e) => e.message) };
  }
  return { ok: true, supergraphSdl: result.supergraphSdl };
}

/** The supergraph kept in this package (composed at build time, checked for staleness by tests). */
export function readSupergraphSdl(): string {
  return readFileSync(supergraphPath, 'utf8');
}
