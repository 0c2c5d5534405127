import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { concatAST, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import type { GatewayContext } from './context.js';
import type { CompiledPolicy } from './policy/compiled-policy.js';
import { withSubgraphPlan } from './policy/subgraph-plan.js';
import { withUnavailabilityNamed } from './subgraph-errors.js';
import { viewerResolvers, viewerTypeDefs } from './viewer-schema.js';

/** Fields the gateway answers itself, stitched in beside the subgraphs. */
export interface GatewayFields {
  typeDefs: DocumentNode;
  resolvers: (schema: () => GraphQLSchema) => IResolvers;
}

export interface SupergraphSchemaOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphTimeoutMs: number;
  /** Signs every subgraph request (the subgraphs refuse unsigned ones). */
  fetch?: typeof fetch;
  /** `Query.me` is always there; the audit fields come with an audit store. */
  gatewayFields?: GatewayFields[];
  /** The compiled permission rules: subgraph requests leave out what the reader can never read. */
  policy?: CompiledPolicy;
}

function subgraphNamed(name: string): SubgraphName {
  const found = SUBGRAPHS.find((s) => s.name === name.toLowerCase());
  if (!found) throw new Error(`gateway: the supergraph names an unknown subgraph "${name}"`);
  return found.name;
}

/**
 * One executable schema built from the composed supergraph and the gateway's own `Query.me`: every
 * field has a resolver that delegates to its subgraph over HTTP, so field middleware wraps it all.
 */
export function buildSupergraphSchema(options: SupergraphSchemaOptions): GraphQLSchema {
  // Subgraph calls and `Query.me` need the finished schema; they only run once it is built.
  const schema = (): GraphQLSchema => built;
  const built: GraphQLSchema = getStitchedSchemaFromSupergraphSdl({
    supergraphSdl: options.supergraphSdl,
    batch: true,
    // The gateway's own fields (`Query.me`) are stitched in with the subgraphs: a schema extended
    // after stitching would lose the stitching plan.
    onStitchingOptions: (stitching) => {
      const local = [{ typeDefs: viewerTypeDefs, resolvers: viewerResolvers }, ...(options.gatewayFields ?? [])];
      stitching.typeDefs = concatAST([stitching.typeDefs, ...local.map((f) => f.typeDefs)]);
      Object.assign(stitching, { resolvers: local.map((f) => f.resolvers(schema)) });
    },
    onSubschemaConfig: (subschema) => {
      const { executor } = subschema;
      if (!executor) return;
      const name = subgraphNamed(subschema.name ?? 'subgraph');
      subschema.executor = withSubgraphPlan(withUnavailabilityNamed(executor, name), name, schema, options.policy);
    },
    httpExecutorOpts: ({ name }) => ({
      endpoint: options.subgraphUrls[subgraphNamed(name)],
      timeout: options.subgraphTimeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      headers: (request): Record<string, string> => {
        const context = request?.context as GatewayContext | undefined;
        // The verified viewer travels to the subgraphs for authorship only; they never decide access.
        // The request's clock too, so that what a subgraph writes (a care assignment's start) and what the rules decide share one instant.
        return context
          ? { 'x-request-id': context.request.requestId, 'x-request-at': context.request.now.toISOString(), ...(context.request.viewer ? { 'x-viewer-id': context.request.viewer.id } : {}) }
          : {};
      },
    }),
  });
  return built;
}
