import { readFileSync } from 'node:fs';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import express, { type Express } from 'express';
import { parse } from 'graphql';
import { ClinicCalendar, loadDemoClinic, subgraphInfo, type DemoClinic, type SubgraphName } from '@clinic/schema';
import type { DatabaseTarget } from './config.js';
import { Database, type MigrationEntry, type SqlEntityManager } from './database.js';
import { maskUnexpectedErrors } from './error-masking.js';
import { isWellFormedId } from './errors.js';
import { parseZonedInstant } from './instant.js';
import { startHttpService, type RunningHttpService } from './http-service.js';
import type { Logger } from './logger.js';
import { requestLoggingPlugin } from './request-logging-plugin.js';
import { keepRawBody, requireGatewaySignature } from './request-signing.js';
import { CreateSeedState, SeedState } from './seed-state.js';

/** What every request of a subgraph carries: its own unit of work and its per-request loaders. */
export interface SubgraphContext<L> {
  requestId: string;
  /** The gateway's verified viewer (`x-viewer-id`), for authorship and the gateway's policy facts; subgraphs refuse nothing by it. */
  viewerId: string | undefined;
  /** The gateway's request clock (signed `x-request-at`), the wall clock without it: the instant the request's writes are stamped with. */
  now: Date;
  em: SqlEntityManager;
  loaders: L;
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

function mountInternalEndpoints(app: Express, handlers: Record<string, InternalHandler>, options: StartSubgraphOptions, guard: express.RequestHandler): void {
  for (const [name, handler] of Object.entries(handlers)) {
    app.post(`/internal/policy/${name}`, express.json({ limit: '256kb', verify: keepRawBody }), guard, async (req, res) => {
      try {
        res.json(await handler(req.body, options.db.fork()));
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
}

/** Serves a subgraph over HTTP: federation schema, per-request loaders, health endpoints. */
export async function startSubgraph<L>(def: SubgraphDefinition<L>, options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const typeDefs = parse(readFileSync(subgraphInfo(def.name).sdlPath, 'utf8'));
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: def.resolvers as GraphQLResolverMap<unknown> }]);
  const source = `${def.name} subgraph`;
  const guard = requireGatewaySignature(options.signingSecret);
  const service = await startHttpService<SubgraphContext<L>>({
    name: source,
    logger: options.logger,
    port: options.port,
    host: options.host,
    apollo: {
      schema,
      formatError: maskUnexpectedErrors(source),
      includeStacktraceInErrorResponses: false,
      plugins: [ApolloServerPluginInlineTraceDisabled(), requestLoggingPlugin(options.logger)],
    },
    context: async ({ req, requestId }) => {
      const em = options.db.fork();
      const viewer = req.headers['x-viewer-id'];
      return { requestId, viewerId: isWellFormedId(viewer) ? viewer : undefined, now: parseZonedInstant(req.headers['x-request-at']) ?? new Date(), em, loaders: def.createLoaders(em) };
    },
    ready: () => options.db.isReachable(),
    routes: (app) => mountInternalEndpoints(app, def.internal ?? {}, options, guard),
    guard,
  });
  return { ...service, db: options.db };
}
