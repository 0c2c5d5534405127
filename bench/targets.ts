import { join } from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { readSupergraphSdl, type SubgraphName } from '@clinic/schema';
import { audienceByOrigin, createLogger, signedFetch, startHttpService, type RunningHttpService } from '@clinic/service-kit';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, openAuditStore, startGateway, type AuditStore, type DevKeyPair } from '@clinic/gateway';
import type { TargetName } from './targets-list.js';


/** A gateway under measurement, on a free loopback port. */
export interface RunningTarget {
  name: TargetName;
  url: string;
  /** SQL statements of the gateway's own audit store so far (this gateway only). */
  auditStatements?: () => number;
  stop(): Promise<void>;
}

export interface TargetSetup {
  subgraphUrls: Record<SubgraphName, string>;
  signingSecret: string;
  keys: DevKeyPair;
  /** A temp folder for the gateways' audit stores. */
  dir: string;
}

/** Every request is the benchmark's: no per-user rate limit gets in the way. */
const NO_RATE_LIMIT = 1_000_000_000;

/** This project's gateway on the running subgraphs, with the permission rules or (bench-only setting) without. */
async function ourGateway(name: 'rules' | 'noRules', setup: TargetSetup): Promise<RunningTarget> {
  const auditStore: AuditStore = await openAuditStore({ target: { kind: 'sqlite', file: join(setup.dir, `audit-${name}.sqlite`) } });
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    subgraphUrls: setup.subgraphUrls,
    subgraphTimeoutMs: 10_000,
    tokens: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM], key: setup.keys.publicKey },
    signingSecret: setup.signingSecret,
    auditStore,
    limits: { requestsPerMinute: NO_RATE_LIMIT },
    logger: createLogger('bench-gateway'),
    ...(name === 'noRules' ? { unsafeDisableRulesForBenchmark: true } : {}),
  });
  return {
    name,
    url: gateway.url,
    auditStatements: () => auditStore.db.statements.total,
    async stop() {
      await gateway.stop();
      await auditStore.close();
    },
  };
}

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

interface ApolloContext {
  requestId: string;
}

/**
 * Apollo Gateway (the peer) serving the same supergraph with no rules, on the same HTTP stack as
 * this project's services (express 5, @apollo/server 5). The subgraphs answer signed requests only:
 * its data sources sign with the gateway's secret and send a request id, as this gateway does (the
 * request id also makes every signature unique, so none is refused as a replay).
 */
async function apolloGateway(setup: TargetSetup): Promise<RunningTarget> {
  const fetcher = signedFetch(setup.signingSecret, { audience: audienceByOrigin(setup.subgraphUrls) });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphWithUrls(readSupergraphSdl(), setup.subgraphUrls),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<ApolloContext>({
        url,
        fetcher: fetcher as unknown as RemoteGraphQLDataSource['fetcher'],
        willSendRequest({ request, context }) {
          if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
        },
      }),
  });
  const service: RunningHttpService = await startHttpService<ApolloContext>({
    name: 'apollo-gateway',
    logger: createLogger('bench-apollo-gateway'),
    port: 0,
    host: '127.0.0.1',
    apollo: { gateway },
    context: async ({ requestId }) => ({ requestId }),
    ready: async () => true,
  });
  return { name: 'apolloGateway', url: service.url, stop: () => service.stop() };
}

/** Starts one gateway target (the direct-subgraph baseline needs none). */
export function startTarget(name: Exclude<TargetName, 'directSubgraph'>, setup: TargetSetup): Promise<RunningTarget> {
  return name === 'apolloGateway' ? apolloGateway(setup) : ourGateway(name, setup);
}
