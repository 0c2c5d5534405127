import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request } from 'express';
import type { Logger } from './logger.js';
import { keepRawBody } from './request-signing.js';
import { requestMetricsPlugin, type ServiceMetrics } from './metrics.js';
import { requestSpan, tracingPlugin } from './tracing.js';

export interface HttpServiceOptions<C extends BaseContext> {
  name: string;
  logger: Logger;
  port: number;
  host: string;
  apollo: Omit<ApolloServerOptions<C>, 'plugins'> & { plugins?: ApolloServerOptions<C>['plugins'] };
  context: (request: { req: Request; requestId: string }) => Promise<C>;
  /** Readiness: dependencies reachable (database, subgraphs), by name, so /readyz can say which one is not. */
  ready: () => Promise<boolean | Record<string, boolean>>;
  /** Largest accepted request body. */
  bodyLimit?: string;
  /** Extra routes mounted before /graphql (a subgraph's internal endpoints). */
  routes?: (app: express.Express) => void;
  /** Runs after body parsing and before /graphql (a subgraph's gateway-signature check). */
  guard?: express.RequestHandler;
  /** Prometheus metrics: every GraphQL request counted and timed, served on `GET /metrics`. */
  metrics?: ServiceMetrics;
  /**
   * How requests are named: `from-caller` keeps a well-formed `x-request-id` (a subgraph: the
   * gateway's own id, signed), `own` always makes one (the gateway: a client cannot choose it).
   * Either way the id is returned in the `x-request-id` response header.
   */
  requestIds?: 'from-caller' | 'own';
}

export interface RunningHttpService {
  name: string;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Personal information must not be kept by browsers or proxies: every GraphQL answer says so, refusals included. */
const noStore: express.RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};

/** Request ids come from the caller (the gateway passes its own) when well-formed, else are generated. */
export function requestIdOf(req: Request): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(header) ? header : randomUUID();
}

/** An Apollo Server on express with `/graphql`, `/healthz` (liveness) and `/readyz` (readiness). */
export async function startHttpService<C extends BaseContext>(options: HttpServiceOptions<C>): Promise<RunningHttpService> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  const apollo = new ApolloServer<C>({
    ...options.apollo,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's cache-control plugin times every field of every response to compute cache hints;
      // nothing here may be cached anyway (see noStore).
      ApolloServerPluginCacheControlDisabled(),
      ...(options.metrics ? [requestMetricsPlugin<C>(options.metrics)] : []),
      tracingPlugin<C>(),
      ...(options.apollo.plugins ?? []),
    ],
  } as ApolloServerOptions<C>);
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    const checked = await options.ready().catch(() => false);
    const dependencies = typeof checked === 'boolean' ? undefined : checked;
    const notReady = dependencies ? Object.keys(dependencies).filter((name) => !dependencies[name]) : [];
    const ready = dependencies ? notReady.length === 0 : checked === true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: options.name, ...(dependencies ? { dependencies, notReady } : {}) });
  });
  const { metrics } = options;
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  // One span per GraphQL or internal request (no-op unless tracing is on), child of the caller's trace.
  app.use(['/graphql', '/internal'], requestSpan(options.name));
  options.routes?.(app);
  const nameRequest: express.RequestHandler = (req, res, next) => {
    const requestId = options.requestIds === 'own' ? randomUUID() : requestIdOf(req);
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  };
  app.use(
    '/graphql',
    nameRequest,
    noStore,
    express.json({ limit: options.bodyLimit ?? '1mb', verify: keepRawBody }),
    ...(options.guard ? [options.guard] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => options.context({ req, requestId: res.locals.requestId as string }),
    }),
  );
  app.use((err: unknown, _req: Request, res: express.Response, next: express.NextFunction) => {
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
    // Body parser failures (malformed JSON, too large) end here: answer 4xx without echoing the body.
    const status = typeof err === 'object' && err && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (res.headersSent) return next(err);
    if (status >= 500) options.logger.error({ err, requestId }, `${options.name}: unhandled HTTP error`);
    res.status(status).json({ errors: [{ message: status === 413 ? 'Request body too large' : status < 500 ? 'Malformed request body' : `Internal error in ${options.name}`, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', requestId } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/graphql`;
  options.logger.info({ port, host: options.host }, `${options.name} listening`);

  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    url,
    port,
    stop: () => (stopping ??= apollo.stop()),
  };
}
