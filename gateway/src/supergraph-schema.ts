import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import type { GraphQLSchema } from 'graphql';
import { SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import type { GatewayContext } from './context.js';

export interface SupergraphSchemaOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphTimeoutMs: number;
}

function subgraphNamed(name: string): SubgraphName {
  const found = SUBGRAPHS.find((s) => s.name === name.toLowerCase());
  if (!found) throw new Error(`gateway: the supergraph names an unknown subgraph "${name}"`);
  return found.name;
}

/**
 * One executable schema built from the composed supergraph: every field has a resolver that
 * delegates to its subgraph over HTTP, so the whole graph can be wrapped by field middleware.
 */
export function buildSupergraphSchema(options: SupergraphSchemaOptions): GraphQLSchema {
  return getStitchedSchemaFromSupergraphSdl({
    supergraphSdl: options.supergraphSdl,
    batch: true,
    httpExecutorOpts: ({ name }) => ({
      endpoint: options.subgraphUrls[subgraphNamed(name)],
      timeout: options.subgraphTimeoutMs,
      headers: (request): Record<string, string> => {
        const context = request?.context as GatewayContext | undefined;
        return context ? { 'x-request-id': context.requestId } : {};
      },
    }),
  });
}
