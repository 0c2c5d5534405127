import { GATEWAY_DEFAULT_PORT, SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import { ConfigCheck, parsePort, servicePort } from '@clinic/service-kit';
import { watchSettings, type WatchSettings } from './watch/watch-settings.js';

/** Bounds on the work one request may ask for (SPEC: bad input gets a clear error, never a crash). */
export interface GatewayLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** See plugins/cost-limit-plugin.ts: lists multiply the cost of what they select. */
  maxCost: number;
  /** Largest request body, e.g. "256kb". */
  maxBody: string;
  /** Requests per authenticated user per minute, per replica. */
  requestsPerMinute: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  /** Where each subgraph's /graphql endpoint is. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Longest wait for one subgraph call, in milliseconds. */
  subgraphTimeoutMs: number;
  limits: GatewayLimits;
  /** NODE_ENV=production: no introspection, no field suggestions, no landing page. */
  production: boolean;
  /**
   * How operations run: `compiled` (graphql-jit, each operation compiled once; the default) or
   * `interpreted` (graphql-js's own executor, to compare). GATEWAY_EXECUTOR.
   */
  executor: GatewayExecutorKind;
  /**
   * How long the answer of a staff token's employment check is reused, in milliseconds
   * (identity/employment-check.ts): a termination or role change written to the employee database
   * takes effect within it. 0 asks the employee subgraph on every request. EMPLOYMENT_RECHECK_MS.
   */
  employmentRecheckMs: number;
  /** The watch over allowed reads: thresholds, opening hours, how often it runs (watch/watch-settings.ts, WATCH_*). */
  watch: WatchSettings;
}

export const GATEWAY_EXECUTORS = ['compiled', 'interpreted'] as const;
export type GatewayExecutorKind = (typeof GATEWAY_EXECUTORS)[number];

function executorKind(env: NodeJS.ProcessEnv): GatewayExecutorKind {
  const raw = env.GATEWAY_EXECUTOR ?? 'compiled';
  if (!(GATEWAY_EXECUTORS as readonly string[]).includes(raw)) throw new Error(`config: GATEWAY_EXECUTOR must be one of ${GATEWAY_EXECUTORS.join(', ')}, got "${raw}"`);
  return raw as GatewayExecutorKind;
}

/** One second: under load most staff requests skip the employment look-up, and a dismissal still takes effect at once for any human purpose. */
export const DEFAULT_EMPLOYMENT_RECHECK_MS = 1000;

export const DEFAULT_LIMITS: GatewayLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 3000,
  maxDirectives: 20,
  maxCost: 100_000,
  maxBody: '256kb',
  requestsPerMinute: 600,
};

/** A whole number from the environment, at least `min` (1: a positive integer; 0: zero allowed). */
function integerAtLeast(min: 0 | 1, env: NodeJS.ProcessEnv, name: string, fallback: number, check: ConfigCheck): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min) {
    check.problem(`${name} must be ${min === 0 ? '0 or ' : ''}a positive integer, got "${raw}"`);
    return fallback;
  }
  return value;
}

function subgraphUrl(env: NodeJS.ProcessEnv, name: SubgraphName, check: ConfigCheck): string {
  const variable = `${name.toUpperCase()}_URL`;
  const raw = env[variable];
  if (raw === undefined) return `http://127.0.0.1:${check.read(() => servicePort(name, env), 0)}/graphql`;
  const url = check.read(() => new URL(raw), undefined);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) check.problem(`${variable} must be an http(s) URL, got "${raw}"`);
  return raw;
}

/**
 * GATEWAY_PORT / GATEWAY_HOST for the gateway; `<NAME>_URL` for a subgraph elsewhere, else the
 * subgraph's port (`<NAME>_PORT`) on loopback. Every problem goes on `check` (thrown at once when
 * no check is given).
 */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env, given?: ConfigCheck): GatewayConfig {
  const check = given ?? new ConfigCheck();
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, subgraphUrl(env, s.name, check)])) as Record<SubgraphName, string>;
  // Signatures name their service by the URL's origin: two subgraphs may not share one.
  const origins = new Map<string, string>();
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const origin = URL.canParse(url) ? new URL(url).origin : url;
    const other = origins.get(origin);
    if (other) check.problem(`${other} and ${name} subgraphs are both at ${origin}: each needs its own host or port`);
    origins.set(origin, name);
  }
  const integer = (name: string, fallback: number) => integerAtLeast(1, env, name, fallback, check);
  const config: GatewayConfig = {
    port: env.GATEWAY_PORT === undefined ? GATEWAY_DEFAULT_PORT : check.read(() => parsePort(env.GATEWAY_PORT as string, 'GATEWAY_PORT'), 0),
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    subgraphUrls,
    subgraphTimeoutMs: integer('SUBGRAPH_TIMEOUT_MS', 10_000),
    limits: {
      maxDepth: integer('GATEWAY_MAX_DEPTH', DEFAULT_LIMITS.maxDepth),
      maxAliases: integer('GATEWAY_MAX_ALIASES', DEFAULT_LIMITS.maxAliases),
      maxTokens: integer('GATEWAY_MAX_TOKENS', DEFAULT_LIMITS.maxTokens),
      maxDirectives: integer('GATEWAY_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives),
      maxCost: integer('GATEWAY_MAX_COST', DEFAULT_LIMITS.maxCost),
      maxBody: env.GATEWAY_MAX_BODY ?? DEFAULT_LIMITS.maxBody,
      requestsPerMinute: integer('RATE_LIMIT_PER_MINUTE', DEFAULT_LIMITS.requestsPerMinute),
    },
    production: env.NODE_ENV === 'production',
    executor: check.read(() => executorKind(env), 'compiled'),
    employmentRecheckMs: integerAtLeast(0, env, 'EMPLOYMENT_RECHECK_MS', DEFAULT_EMPLOYMENT_RECHECK_MS, check),
    watch: watchSettings(env, check),
  };
  if (!/^\d+(b|kb|mb)?$/i.test(config.limits.maxBody)) check.problem(`GATEWAY_MAX_BODY must look like 256kb or 1mb, got "${config.limits.maxBody}"`);
  if (!given) check.done();
  return config;
}
