import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { applyMiddleware } from 'graphql-middleware';
import {
  createLogger,
  maskUnexpectedErrors,
  requestLoggingPlugin,
  audienceByOrigin,
  bufferedFetch,
  connectRedis,
  createCursorSeal,
  redisReachable,
  signedFetch,
  signingSecret,
  startHttpService,
  type Logger,
  type RunningHttpService,
} from '@clinic/service-kit';
import { readSupergraphSdl } from '@clinic/schema';
import { DEFAULT_EMPLOYMENT_RECHECK_MS, DEFAULT_LIMITS, type GatewayConfig, type GatewayExecutorKind, type GatewayLimits } from './config.js';
import { compiledExecution } from './compiled-executor.js';
import type { GatewayContext } from './context.js';
import { RequestAudit } from './audit/request-audit.js';
import { openAuditStore, type AuditStore } from './audit-store/audit-store.js';
import { authenticate } from './identity/authenticate.js';
import { EmploymentCheck } from './identity/employment-check.js';
import { inputChecks } from './input-checks.js';
import { tokenVerifierConfig } from './identity/identity-config.js';
import { createTokenVerifier, type TokenVerifierConfig } from './identity/token-verifier.js';
import { auditPlugin, auditStoreUnavailable, auditUnavailable } from './plugins/audit-plugin.js';
import type { BrowserConfig } from './browser-config.js';
import { costLimitPlugin } from './plugins/cost-limit-plugin.js';
import { useCors } from './plugins/cors.js';
import { demoSignInRoutes } from './plugins/demo-sign-in.js';
import { deskRoutes } from './plugins/desk-static.js';
import { graphiqlLandingPage, graphiqlRoutes } from './plugins/graphiql.js';
import { useTrustedDocuments } from './plugins/trusted-documents.js';
import { createRateLimiter } from './plugins/rate-limit.js';
import { withheldRowsPlugin } from './plugins/withheld-rows-plugin.js';
import { myPatientsResolvers, myPatientsTypeDefs } from './my-patients-schema.js';
import { privacyResolvers, privacyTypeDefs } from './privacy-schema.js';
import { registersResolvers, registersTypeDefs } from './registers-schema.js';
import { recordRequestsResolvers, recordRequestsTypeDefs } from './record-requests-schema.js';
import { retentionResolvers, retentionTypeDefs } from './retention-schema.js';
import { accessReviewResolvers, accessReviewTypeDefs } from './access-review-schema.js';
import { reverseLookupResolvers, reverseLookupTypeDefs } from './reverse-lookups-schema.js';
import { HIDDEN_UNLESS_READABLE } from './permissions.js';
import { CLINIC_POLICY } from './policy/clinic-policy.js';
import { assertPolicyCoversSchema } from './policy/compiled-policy.js';
import { createHttpPolicyClient, type PatientAccessFacts, type PolicyClient } from './policy/policy-client.js';
import { RequestPolicy } from './policy/request-policy.js';
import { recordGateMiddleware } from './policy/record-gates.js';
import { rowFilterMiddleware } from './policy/row-filters.js';
import { applyShield } from './policy/apply-shield.js';
import { shieldFromPolicy } from './policy/shield-rules.js';
import { requestFacts } from './request-facts.js';
import { RequestServices } from './request-services.js';
import { WithheldRows } from './withheld-rows.js';
import { subgraphsReady } from './readiness.js';
import { createGatewayMetrics, instrumentAuditLog, instrumentPolicyClient, instrumentSubgraphFetch } from './telemetry/gateway-telemetry.js';
import { buildSupergraphSchema } from './supergraph-schema.js';
import { noConfusingAliases } from './validation/no-confusing-aliases.js';
import { noReservedVariables } from './validation/no-reserved-variables.js';
import { clientRequestIdOf, requestIdInErrorsPlugin, withRequestId } from './request-ids.js';
import { persistedQueryGuard, persistedQueryNotFoundPlugin } from './persisted-queries.js';
import { noSubscriptions } from './validation/no-subscriptions.js';
import { derivedValuesMiddleware } from './derived-values/patient-listing.js';
import { reviewQueueResolvers, reviewQueueTypeDefs } from './review-queue-schema.js';
import { ReadWatch } from './watch/read-watch.js';
import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from './watch/watch-settings.js';
import { clinicTimeZone } from '@clinic/schema';
import { auditExportRoutes } from './audit-search/export-route.js';

/** How long a staff request waits for its sign-in note (the access review's two-factor use). */
const SIGN_IN_NOTE_MS = 500;

export interface GatewayOptions extends Omit<GatewayConfig, 'limits' | 'production' | 'executor' | 'watch' | 'employmentRecheckMs'>, Partial<BrowserConfig> {
  /** How long an employment check is reused (identity/employment-check.ts); DEFAULT_EMPLOYMENT_RECHECK_MS unless told, 0 asks on every request. */
  employmentRecheckMs?: number;
  /** `compiled` (graphql-jit) unless told; `interpreted` runs graphql-js's executor. */
  executor?: GatewayExecutorKind;
  limits?: Partial<GatewayLimits>;
  production?: boolean;
  supergraphSdl?: string;
  logger?: Logger;
  /** Token verification; the local dev key (or OIDC from the environment) when omitted. */
  tokens?: TokenVerifierConfig;
  /** The request clock (tests inject one); the wall clock when omitted. */
  clock?: () => Date;
  /** The audit log, emergency accesses and incidents; `data/audit.sqlite` (or AUDIT_DATABASE_URL) when omitted. */
  auditStore?: AuditStore;
  /** The secret subgraph requests are signed with; GATEWAY_SIGNING_SECRET or the local one when omitted. */
  signingSecret?: string;
  /**
   * BENCHMARK ONLY (`npm run bench`): serves the supergraph with no access control at all (no
   * graphql-shield rules, row filters, minimal disclosure or input checks, hence no audit events),
   * to measure what the rules cost. Refuses to start when NODE_ENV=production or `production` is
   * set. No environment variable and no start-up script sets it.
   */
  unsafeDisableRulesForBenchmark?: boolean;
  /** REDIS_URL: the per-user rate limit is shared by every replica. */
  redisUrl?: string;
  /**
   * The watch over allowed reads (issue 15): the clinic's settings (watch-settings.ts defaults when
   * omitted). It runs periodically only when `scanIntervalSeconds` is given here (main.ts gives the
   * configured one); otherwise when the privacy officer reads the review queue, or `watch.scan()`.
   */
  watch?: Partial<WatchSettings>;
}

export interface RunningGateway extends RunningHttpService {
  auditStore: AuditStore;
  /** Policy look-ups made so far (batched calls to the subgraphs' internal policy endpoints). */
  policyLookups(): number;
  /** The watch over allowed reads: `scan()` reads the audit log up to its head and opens the review items it finds. */
  watch: ReadWatch;
}

/** The one place that composes the gateway: supergraph schema, identity, permission rules, plugins, HTTP. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const rulesOff = options.unsafeDisableRulesForBenchmark === true;
  if (rulesOff && (process.env.NODE_ENV === 'production' || options.production)) {
    throw new Error('gateway: unsafeDisableRulesForBenchmark is for benchmarks only and refuses to start in production');
  }
  const logger = options.logger ?? createLogger('gateway');
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const production = options.production ?? false;
  const redis = options.redisUrl ? connectRedis(options.redisUrl) : undefined;
  const consumeRateLimit = createRateLimiter({ points: limits.requestsPerMinute, windowSeconds: 60, ...(redis ? { redis } : {}) });
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    // graphql-js counts tokens while parsing and answers a 400 parse error (see parseOptions).
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    // Cost is measured by our own plugin, which knows list sizes.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  const clock = options.clock ?? (() => new Date());
  const verify = createTokenVerifier(options.tokens ?? (await tokenVerifierConfig()));
  const metrics = createGatewayMetrics();
  const serviceOf = audienceByOrigin(options.subgraphUrls);
  const secret = options.signingSecret ?? signingSecret();
  const toSubgraphs = instrumentSubgraphFetch(signedFetch(secret, { audience: serviceOf, transport: bufferedFetch() }), serviceOf, metrics);
  // The audit log's page cursors, sealed under a key derived from the gateway's own secret.
  const logCursors = createCursorSeal(`${secret}|audit-log`);
  const policy: PolicyClient = instrumentPolicyClient(createHttpPolicyClient(options.subgraphUrls, options.subgraphTimeoutMs, toSubgraphs), metrics);
  const employment = new EmploymentCheck(policy, options.employmentRecheckMs ?? DEFAULT_EMPLOYMENT_RECHECK_MS);
  const store = options.auditStore ?? (await openAuditStore({ logger }));
  const timedAuditLog = instrumentAuditLog(store.auditLog, metrics);
  const watchSettings: WatchSettings = { ...DEFAULT_WATCH_SETTINGS, timeZone: clinicTimeZone(), ...options.watch };
  const watch = new ReadWatch(store.db, store.reviews, policy, watchSettings);
  const emergencyAccessOf = async (viewerId: string, now: Date) => {
    try {
      return await store.emergencyAccess.openFor(viewerId, now);
    } catch (err) {
      logger.error({ err }, 'audit store unreachable: emergency accesses unknown');
      throw auditStoreUnavailable();
    }
  };

  /** Waits for the note at most SIGN_IN_NOTE_MS: an audit store that hangs does not hold every staff request. */
  const noteSignIn = (viewer: { id: string; mfa: boolean }, now: Date, requestId: string) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        logger.warn({ requestId }, 'audit store: sign-in not yet recorded, request goes on');
        resolve();
      }, SIGN_IN_NOTE_MS);
      store.signIns
        .note(viewer, now)
        .catch((err: unknown) => logger.error({ err, requestId }, 'audit store: sign-in not recorded'))
        .finally(() => {
          clearTimeout(timer);
          resolve();
        });
    });

  const supergraph = buildSupergraphSchema({
    supergraphSdl: options.supergraphSdl ?? readSupergraphSdl(),
    subgraphUrls: options.subgraphUrls,
    subgraphTimeoutMs: options.subgraphTimeoutMs,
    fetch: toSubgraphs,
    ...(rulesOff ? {} : { policy: CLINIC_POLICY }),
    gatewayFields: [
      { typeDefs: privacyTypeDefs, resolvers: () => privacyResolvers({ store, policy, categoryOf: CLINIC_POLICY.categoryOf, compiled: CLINIC_POLICY, cursors: logCursors }) },
      { typeDefs: retentionTypeDefs, resolvers: () => retentionResolvers({ store, policy }) },
      { typeDefs: registersTypeDefs, resolvers: () => registersResolvers({ store, policy }) },
      { typeDefs: recordRequestsTypeDefs, resolvers: () => recordRequestsResolvers({ store, policy }) },
      { typeDefs: myPatientsTypeDefs, resolvers: myPatientsResolvers({ patientSubgraphUrl: options.subgraphUrls.patient, timeoutMs: options.subgraphTimeoutMs, fetch: toSubgraphs }) },
      { typeDefs: reverseLookupTypeDefs, resolvers: () => reverseLookupResolvers({ store, policy, compiled: CLINIC_POLICY }) },
      { typeDefs: accessReviewTypeDefs, resolvers: () => accessReviewResolvers({ store, policy }) },
      { typeDefs: reviewQueueTypeDefs, resolvers: () => reviewQueueResolvers({ store, watch, logger }) },
    ],
  });
  // Refuses to start when a field of the supergraph has no rule, or a restriction names no field.
  if (!rulesOff) assertPolicyCoversSchema(supergraph, CLINIC_POLICY);
  const schema = rulesOff
    ? supergraph
    : applyShield(
        applyMiddleware(supergraph, rowFilterMiddleware(CLINIC_POLICY), recordGateMiddleware(CLINIC_POLICY, HIDDEN_UNLESS_READABLE), derivedValuesMiddleware(), inputChecks(policy)),
        shieldFromPolicy(supergraph, CLINIC_POLICY),
      );
  if (rulesOff) logger.warn('gateway: access control is OFF (unsafeDisableRulesForBenchmark): benchmark use only');

  // Browser-facing parts (browser-config.ts): CORS allow-list, trusted documents, and outside production the desk and its demo sign-in.
  const cors = useCors({ origins: options.corsOrigins ?? [] });
  const desk = !production && options.desk ? deskRoutes(options.desk) : undefined;
  const demoSignIn = !production && options.demoSignIn ? demoSignInRoutes({ keys: options.demoSignIn, production }) : undefined;
  const graphiql = !production && options.desk ? graphiqlRoutes({ deskDir: options.desk.dir }) : undefined;

  const trustedDocuments = options.trustedDocuments ? useTrustedDocuments(options.trustedDocuments) : undefined;
  const service = await startHttpService<GatewayContext>({
    name: 'gateway',
    logger,
    port: options.port,
    host: options.host,
    bodyLimit: limits.maxBody,
    metrics,
    requestIds: 'own',
    routes: (app) => {
      if (cors) app.use('/graphql', cors);
      if (!rulesOff) {
        app.use(
          auditExportRoutes({
            auditLog: store.auditLog,
            compiled: CLINIC_POLICY,
            authenticate: (authorization, requestId, now) =>
              authenticate(authorization, { verify, policy, employment, logger, requestId, onRefusal: (reason) => metrics.tokenRefusals.inc({ reason }) }, now),
            consumeRateLimit,
            clock,
            logger,
          }),
        );
      }
      if (desk) app.use('/desk', desk);
      if (demoSignIn) app.use('/dev', demoSignIn);
      if (graphiql) app.use('/graphiql', graphiql);
    },
    // Trusted documents (when configured) resolve ids to their text first; persisted-query mistakes left are answered 4xx.
    guard: trustedDocuments ? (req, res, next) => trustedDocuments(req, res, (err?: unknown) => (err ? next(err) : persistedQueryGuard(req, res, next))) : persistedQueryGuard,
    apollo: {
      ...((options.executor ?? 'compiled') === 'compiled' ? { gateway: compiledExecution(schema) } : { schema }),
      formatError: maskUnexpectedErrors('gateway'),
      includeStacktraceInErrorResponses: false,
      introspection: !production,
      parseOptions: { maxTokens: limits.maxTokens },
      allowBatchedHttpRequests: false,
      validationRules: [noSubscriptions, noConfusingAliases, noReservedVariables, ...armor.validationRules],
      plugins: [
        ...armor.plugins,
        production ? ApolloServerPluginLandingPageDisabled() : graphiqlLandingPage(graphiql !== undefined),
        costLimitPlugin({ maxCost: limits.maxCost, assumedListSize: 10 }),
        requestLoggingPlugin(logger),
        withheldRowsPlugin(),
        auditPlugin(logger),
        persistedQueryNotFoundPlugin(),
        requestIdInErrorsPlugin(),
      ] as ApolloServerPlugin<GatewayContext>[],
    },
    context: async ({ req, requestId }) => {
      const now = clock();
      const clientRequestId = clientRequestIdOf(req);
      // Refusals before the operation runs carry the request id too.
      const preloaded: PatientAccessFacts[] = [];
      const viewer = await authenticate(
        req.headers.authorization,
        { verify, policy, employment, logger, requestId, onRefusal: (reason) => metrics.tokenRefusals.inc({ reason }), onOwnAccessFacts: (facts) => preloaded.push(facts) },
        now,
      ).catch((err: unknown) => Promise.reject(withRequestId(err, requestId)));
      await consumeRateLimit(viewer.id).catch((err: unknown) => Promise.reject(withRequestId(err, requestId)));
      // Two-factor use for the yearly access review: a monitoring fact, not the audit of patient information (a failure is logged, the request goes on).
      if (viewer.role !== 'PATIENT') await noteSignIn(viewer, now, requestId);
      const request = requestFacts({ viewer, now, requestId, clientName: req.header('apollographql-client-name') ?? null, clientRequestId });
      const access = new RequestPolicy(CLINIC_POLICY, viewer, now, policy, emergencyAccessOf, preloaded);
      const auditLog = {
        append: async (entries: Parameters<AuditStore['auditLog']['append']>[0], at: Date) => {
          try {
            await timedAuditLog.append(entries, at);
          } catch (err) {
            logger.error({ err, requestId }, 'audit log write failed');
            throw auditUnavailable();
          }
        },
      };
      const context: GatewayContext = {
        request,
        requestId,
        clientRequestId,
        access,
        audit: new RequestAudit(request, auditLog, () => access.loadEmergency(), CLINIC_POLICY.version),
        withheld: new WithheldRows(),
        services: new RequestServices(),
      };
      return context;
    },
    ready: async () => ({ 'audit store': await store.db.isReachable().catch(() => false), ...(redis ? { redis: await redisReachable(redis) } : {}), ...(await subgraphsReady(options.subgraphUrls)) }),
  });
  // The periodic watch: off the request path, one scan at a time; a failure is logged (no personal data) and retried next time.
  const every = options.watch?.scanIntervalSeconds;
  const timer = every
    ? setInterval(() => {
        watch.scan().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.name : 'error' }, 'watch over allowed reads: scan failed'));
      }, every * 1000)
    : undefined;
  timer?.unref();
  return {
    ...service,
    auditStore: store,
    policyLookups: () => policy.calls,
    watch,
    stop: async () => {
      if (timer) clearInterval(timer);
      await service.stop();
      await watch.settled();
      if (!options.auditStore) await store.close();
      redis?.disconnect();
    },
  };
}

