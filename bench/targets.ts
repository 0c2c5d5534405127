import { join } from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { readSupergraphSdl, type SubgraphName } from '@clinic/schema';
import { audienceByOrigin, createLogger, signedFetch, startHttpService, type Logger, type RunningHttpService } from '@clinic/service-kit';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, openAuditStore, startGateway, type AuditStore, type DevKeyPair } from '@clinic/gateway';
import type { StartPeer } from './peer-target.js';
import { supergraphWithUrls } from './supergraph-urls.js';
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
  /** The level of the gateways' request logs (`silent` unless LOG_LEVEL says otherwise). */
  logLevel: string;
  /** A PostgreSQL database for this gateway's audit store instead of a SQLite file in `dir` (bench/ab.ts only). */
  auditDatabaseUrl?: string;
}

function benchLogger(name: string, setup: TargetSetup): Logger {
  const logger = createLogger(name);
  logger.level = setup.logLevel;
  return logger;
}

/** Every request is the benchmark's: no per-user rate limit gets in the way. */
const NO_RATE_LIMIT = 1_000_000_000;

/** This project's gateway on the running subgraphs, with the permission rules or (bench-only setting) without. */
async function ourGateway(name: 'rules' | 'noRules', setup: TargetSetup): Promise<RunningTarget> {
  const target = setup.auditDatabaseUrl ? { kind: 'postgresql' as const, url: setup.auditDatabaseUrl } : { kind: 'sqlite' as const, file: join(setup.dir, `audit-${name}.sqlite`) };
  const auditStore: AuditStore = await openAuditStore({ target });
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    subgraphUrls: setup.subgraphUrls,
    subgraphTimeoutMs: 10_000,
    tokens: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM], key: setup.keys.publicKey },
    signingSecret: setup.signingSecret,
    auditStore,
    limits: { requestsPerMinute: NO_RATE_LIMIT },
    logger: benchLogger('bench-gateway', setup),
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
    logger: benchLogger('bench-apollo-gateway', setup),
    port: 0,
    host: '127.0.0.1',
    apollo: { gateway },
    context: async ({ requestId }) => ({ requestId }),
    ready: async () => true,
  });
  return { name: 'apolloGateway', url: service.url, stop: () => service.stop() };
}

/**
 * Hive Gateway, from its own module (hive-gateway.ts, type-checked apart): a specifier TypeScript
 * does not follow keeps Hive's types out of this program.
 */
const HIVE_GATEWAY_MODULE: string = './hive-gateway.js';
async function hiveGateway(setup: TargetSetup): Promise<RunningTarget> {
  const { startHiveGateway } = (await import(HIVE_GATEWAY_MODULE)) as { startHiveGateway: StartPeer };
  const peer = await startHiveGateway(setup);
  return { name: 'hiveGateway', url: peer.url, stop: () => peer.stop() };
}

/** Starts one gateway target (the direct-subgraph baseline needs none). */
export function startTarget(name: Exclude<TargetName, 'directSubgraph'>, setup: TargetSetup): Promise<RunningTarget> {
  if (name === 'apolloGateway') return apolloGateway(setup);
  if (name === 'hiveGateway') return hiveGateway(setup);
  return ourGateway(name, setup);
}
