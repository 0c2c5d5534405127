import { GATEWAY_DEFAULT_PORT, SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import { parsePort, servicePort } from '@clinic/service-kit';

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
}

export const GATEWAY_EXECUTORS = ['compiled', 'interpreted'] as const;
export type GatewayExecutorKind = (typeof GATEWAY_EXECUTORS)[number];

function executorKind(env: NodeJS.ProcessEnv): GatewayExecutorKind {
  const raw = env.GATEWAY_EXECUTOR ?? 'compiled';
  if (!(GATEWAY_EXECUTORS as readonly string[]).includes(raw)) throw new Error(`config: GATEWAY_EXECUTOR must be one of ${GATEWAY_EXECUTORS.join(', ')}, got "${raw}"`);
  return raw as GatewayExecutorKind;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 3000,
  maxDirectives: 20,
  maxCost: 100_000,
  maxBody: '256kb',
  requestsPerMinute: 600,
};

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`config: ${name} must be a positive integer, got "${raw}"`);
  return value;
}

/**
 * GATEWAY_PORT / GATEWAY_HOST for the gateway; `<NAME>_URL` for a subgraph elsewhere, else the
 * subgraph's port (`<NAME>_PORT`) on loopback.
 */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((s) => [s.name, env[`${s.name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${servicePort(s.name, env)}/graphql`]),
  ) as Record<SubgraphName, string>;
  return {
    port: env.GATEWAY_PORT === undefined ? GATEWAY_DEFAULT_PORT : parsePort(env.GATEWAY_PORT, 'GATEWAY_PORT'),
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    subgraphUrls,
    subgraphTimeoutMs: positiveInteger(env, 'SUBGRAPH_TIMEOUT_MS', 10_000),
    limits: {
      maxDepth: positiveInteger(env, 'GATEWAY_MAX_DEPTH', DEFAULT_LIMITS.maxDepth),
      maxAliases: positiveInteger(env, 'GATEWAY_MAX_ALIASES', DEFAULT_LIMITS.maxAliases),
      maxTokens: positiveInteger(env, 'GATEWAY_MAX_TOKENS', DEFAULT_LIMITS.maxTokens),
      maxDirectives: positiveInteger(env, 'GATEWAY_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives),
      maxCost: positiveInteger(env, 'GATEWAY_MAX_COST', DEFAULT_LIMITS.maxCost),
      maxBody: env.GATEWAY_MAX_BODY ?? DEFAULT_LIMITS.maxBody,
      requestsPerMinute: positiveInteger(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_LIMITS.requestsPerMinute),
    },
    production: env.NODE_ENV === 'production',
    executor: executorKind(env),
  };
}
