import { readFileSync } from 'node:fs';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloServerPlugin } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import express, { type Express } from 'express';
import { parse } from 'graphql';
import { ClinicCalendar, loadDemoClinic, subgraphInfo, type DemoClinic, type SubgraphName } from '@clinic/schema';
import type { DatabaseTarget } from './config.js';
import { Database, type MigrationEntry, type SqlEntityManager } from './database.js';
import { maskUnexpectedErrors } from './error-masking.js';
import { createCursorSeal, type CursorSeal } from './cursor-seal.js';
import { isWellFormedId } from './errors.js';
import { startHttpService, type RunningHttpService } from './http-service.js';
import type { Logger } from './logger.js';
import { requestLoggingPlugin } from './request-logging-plugin.js';
import { keepRawBody, requireGatewaySignature, signedRequestTime, type ReplayMemory } from './request-signing.js';
import { CreateSeedState, SeedState } from './seed-state.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics.js';
import { Counter, Histogram } from 'prom-client';

/** What every request of a subgraph carries: its own unit of work and its per-request loaders. */
export interface SubgraphContext<L> {
  requestId: string;
  /** The gateway's verified viewer (`x-viewer-id`), for authorship and the gateway's policy facts; subgraphs refuse nothing by it. */
  viewerId: string | undefined;
  /** The gateway's time for this request (signed): what the subgraph stamps and matches with. */
  now: Date;
  em: SqlEntityManager;
  loaders: L;
  /** Seals and opens this subgraph's page cursors (see cursor-seal.ts). */
  cursors: CursorSeal;
  /**
   * What the gateway tells the subgraph about the reader for values derived from protected data
   * (see gateway/src/derived-values/), carried in the signed body's `extensions.clinicReader`;
   * undefined when absent.
   */
  readerFacts: unknown;
  /** Facts for the gateway, returned in the response's `extensions` (how a listing was ordered). */
  responseExtensions: Record<string, unknown>;
}

/**
 * A gateway-only endpoint (`POST /internal/policy/<name>`): policy data the gateway's rules need,
 * never part of the supergraph. Bad input throws an InternalRequestError (answered 400).
 */
export type InternalHandler = (body: unknown, em: SqlEntityManager) => Promise<unknown>;

export class InternalRequestError extends Error {}

/** Everything that makes one subgraph: the same inner layout for patient, employee and billing. */
export interface SubgraphDefinition<L> {
  name: SubgraphName;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- MikroORM's schema list is heterogeneous
  entities: import('@mikro-orm/core').EntitySchema<any, any>[];
  migrations: MigrationEntry[];
  resolvers: GraphQLResolverMap<SubgraphContext<L>>;
  createLoaders: (em: SqlEntityManager) => L;
  /** Writes the service's part of the demo clinic; day offsets are read on `calendar`. */
  seed: (em: SqlEntityManager, clinic: DemoClinic, calendar: ClinicCalendar) => Promise<void>;
  /** Internal policy endpoints, by name. */
  internal?: Record<string, InternalHandler>;
}

export interface RunningSubgraph extends RunningHttpService {
  db: Database;
}

/** Opens a subgraph's database with the seed-state table every service shares. */
export function openSubgraphDatabase<L>(
  def: SubgraphDefinition<L>,
  options: { target?: DatabaseTarget; logger?: Logger } = {},
): Promise<Database> {
  const { target, logger } = options;
  return Database.open({
    service: def.name,
    entities: [SeedState, ...def.entities],
    migrations: [{ name: '0000-seed-state', class: CreateSeedState }, ...def.migrations],
    ...(target ? { target } : {}),
    ...(logger ? { log: (message: string) => logger.debug({ orm: message }) } : {}),
  });
}

/** Migrates, then seeds the demo clinic if this database was never seeded (or `reset` is asked). */
export async function prepareSubgraphDatabase<L>(
  def: SubgraphDefinition<L>,
  db: Database,
  options: { seed: boolean; reset?: boolean; now?: Date },
): Promise<'seeded' | 'already-seeded' | 'not-seeded'> {
  if (options.reset) await db.dropAll();
  await db.migrate();
  if (!options.seed) return 'not-seeded';
  const em = db.fork();
  if (await em.findOne(SeedState, { service: def.name })) return 'already-seeded';
  const now = options.now ?? new Date();
  await em.transactional(async (tx) => {
    await def.seed(tx, loadDemoClinic(), new ClinicCalendar(now));
    tx.create(SeedState, { service: def.name, seededAt: now });
  });
  return 'seeded';
}

function mountInternalEndpoints(app: Express, handlers: Record<string, InternalHandler>, options: StartSubgraphOptions, guard: express.RequestHandler, metrics: ServiceMetrics): void {
  const seconds = new Histogram({ name: 'internal_request_duration_seconds', help: 'Gateway-only policy endpoint latency by endpoint', labelNames: ['endpoint'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [metrics.registry] });
  for (const [name, handler] of Object.entries(handlers)) {
    app.post(`/internal/policy/${name}`, express.json({ limit: '256kb', verify: keepRawBody }), guard, async (req, res) => {
      const stopTimer = seconds.startTimer({ endpoint: name });
      try {
        res.json(await handler(req.body, options.db.fork()));
        stopTimer();
      } catch (err) {
        if (err instanceof InternalRequestError) {
          res.status(400).json({ error: err.message });
          return;
        }
        options.logger.error({ err }, `internal endpoint ${name} failed`);
        res.status(500).json({ error: `internal endpoint ${name} failed` });
      }
    });
  }
}

export interface StartSubgraphOptions {
  db: Database;
  logger: Logger;
  port: number;
  host: string;
  /** The secret the gateway signs its requests with; unsigned requests are refused. */
  signingSecret: string;
  /** Where signatures already used are remembered: this process (default) or Redis, shared by replicas. */
  replays?: ReplayMemory;
  /** Readiness also waits for these (Redis when the replay memory lives there). */
  dependencies?: Record<string, () => Promise<boolean>>;
}

/** Returns what resolvers put in `responseExtensions` to the gateway, in the response's `extensions`. */
function responseExtensionsPlugin<C extends { responseExtensions: Record<string, unknown> }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || Object.keys(contextValue.responseExtensions).length === 0) return;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, ...contextValue.responseExtensions };
        },
      };
    },
  };
}

/** Serves a subgraph over HTTP: federation schema, per-request loaders, health endpoints. */
export async function startSubgraph<L>(def: SubgraphDefinition<L>, options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const typeDefs = parse(readFileSync(subgraphInfo(def.name).sdlPath, 'utf8'));
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: def.resolvers as GraphQLResolverMap<unknown> }]);
  const source = `${def.name} subgraph`;
  const metrics = createServiceMetrics(`${def.name}-subgraph`);
  const refusals = new Counter({ name: 'signature_refusals_total', help: 'Requests refused by the gateway-signature check, by why', labelNames: ['why'], registers: [metrics.registry] });
  const cursors = createCursorSeal(options.signingSecret);
  const guard = requireGatewaySignature(options.signingSecret, { audience: def.name, ...(options.replays ? { replays: options.replays } : {}), onRefusal: (why) => refusals.inc({ why }) });
  const service = await startHttpService<SubgraphContext<L>>({
    name: source,
    logger: options.logger,
    port: options.port,
    host: options.host,
    apollo: {
      schema,
      formatError: maskUnexpectedErrors(source),
      includeStacktraceInErrorResponses: false,
      plugins: [ApolloServerPluginInlineTraceDisabled(), requestLoggingPlugin(options.logger), responseExtensionsPlugin<SubgraphContext<L>>()],
    },
    context: async ({ req, requestId }) => {
      const em = options.db.fork();
      const viewer = req.headers['x-viewer-id'];
      const extensions = (req.body as { extensions?: { clinicReader?: unknown } } | undefined)?.extensions;
      return {
        requestId,
        viewerId: isWellFormedId(viewer) ? viewer : undefined,
        now: signedRequestTime(req) ?? new Date(),
        em,
        loaders: def.createLoaders(em),
        cursors,
        readerFacts: extensions?.clinicReader,
        responseExtensions: {},
      };
    },
    ready: async () => {
      const checks = Object.entries({ database: () => options.db.isReachable(), ...options.dependencies });
      return Object.fromEntries(await Promise.all(checks.map(async ([name, check]) => [name, await check().catch(() => false)] as const)));
    },
    routes: (app) => mountInternalEndpoints(app, def.internal ?? {}, options, guard, metrics),
    guard,
    metrics,
  });
  return { ...service, db: options.db };
}
