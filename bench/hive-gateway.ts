// Type-checked on its own (bench/tsconfig.hive.json) and loaded by targets.ts at run time: Hive
// Gateway's types (graphql-yoga's) redeclare GraphQLError's `extensions.http.headers` as a record,
// which the gateway's sources, written to @apollo/server's convention (a Map), would then fail.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, useCustomFetch } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { readSupergraphSdl } from '@clinic/schema';
import { audienceByOrigin, signedFetch } from '@clinic/service-kit';
import type { StartPeer } from './peer-target.js';
import { supergraphWithUrls } from './supergraph-urls.js';

/**
 * Hive Gateway (@graphql-hive/gateway-runtime with @graphql-mesh/transport-http) serving the same
 * supergraph with no rules and no token check, on node:http as its runtime is served (a WHATWG
 * request handler), in the benchmark's main thread. Its subgraph calls go through service-kit's
 * signedFetch, as Apollo Gateway's do. Its de-duplication of identical in-flight subgraph requests
 * is off: the benchmark's concurrent requests are identical, so it would answer them from one
 * subgraph call and measure a shared answer, not a gateway.
 */
export const startHiveGateway: StartPeer = async ({ subgraphUrls, signingSecret }) => {
  const gateway = createGatewayRuntime({
    supergraph: supergraphWithUrls(readSupergraphSdl(), subgraphUrls),
    transports: { http: httpTransport },
    transportEntries: { '*': { options: { deduplicateInflightRequests: false } } },
    // Off by default; said here so that no identical incoming requests share one execution either.
    inboundInflightRequestDeduplication: false,
    plugins: () => [useCustomFetch(signedFetch(signingSecret, { audience: audienceByOrigin(subgraphUrls) }) as Parameters<typeof useCustomFetch>[0])],
    // Request logs would measure the logger (as for the other targets); no GraphiQL or landing page.
    logging: false,
    graphiql: false,
    landingPage: false,
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${gateway.graphqlEndpoint}`,
    async stop() {
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      await closed;
      await gateway.dispose();
    },
  };
};
