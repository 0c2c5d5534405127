import type { Database } from './database.js';
import { bindHost, databaseTarget, servicePort } from './config.js';
import { ConfigCheck, ConfigurationError } from './config-check.js';
import { createLogger, type Logger } from './logger.js';
import { signingSecret } from './request-signing.js';
import { startTracing } from './tracing.js';
import { connectRedis, redisReachable, redisUrl, RedisReplayMemory } from './redis.js';
import { openSubgraphDatabase, prepareSubgraphDatabase, startSubgraph, type SubgraphDefinition } from './subgraph.js';

/** Stops on SIGTERM/SIGINT: finish in-flight requests, close the database, exit. */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** Entry point of a subgraph process: migrate, seed on first start, serve, stop gracefully. */
export async function runSubgraph<L>(def: SubgraphDefinition<L>): Promise<void> {
  const logger = createLogger(`${def.name}-subgraph`);
  // Off unless the standard OTEL_* variables configure an exporter.
  const tracing = startTracing(`clinic-${def.name}-subgraph`);
  let db: Database | undefined;
  try {
    // The whole configuration is checked before anything starts, and every problem is reported at once.
    const check = new ConfigCheck();
    const port = check.read(() => servicePort(def.name), 0);
    const secret = check.read(() => signingSecret(), '');
    check.read(() => databaseTarget(def.name), undefined);
    const sharedUrl = check.read(() => redisUrl(), undefined);
    check.done();
    db = await openSubgraphDatabase(def, { logger });
    const seeding = await prepareSubgraphDatabase(def, db, { seed: process.env.SEED_ON_START !== 'false' });
    logger.info({ database: db.target.kind, seeding }, 'database ready');
    // With REDIS_URL the replicas of this subgraph share one replay memory; without, each process keeps its own.
    const redis = sharedUrl ? connectRedis(sharedUrl) : undefined;
    const shared = redis ? { replays: new RedisReplayMemory(redis, def.name), dependencies: { redis: () => redisReachable(redis) } } : {};
    const service = await startSubgraph(def, { db, logger, port, host: bindHost(), signingSecret: secret, ...shared });
    const opened = db;
    stopOnSignals(logger, async () => {
      await service.stop();
      await opened.close();
      redis?.disconnect();
      await tracing?.stop();
    });
  } catch (err) {
    if (err instanceof ConfigurationError) logger.fatal({ problems: err.problems }, err.message);
    else logger.fatal({ err }, `${def.name} subgraph failed to start`);
    await db?.close().catch(() => undefined);
    process.exit(1);
  }
}
