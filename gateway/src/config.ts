import { GATEWAY_DEFAULT_PORT, SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import { parsePort, servicePort } from '@clinic/service-kit';

export interface GatewayConfig {
  port: number;
  host: string;
  /** Where each subgraph's /graphql endpoint is. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Longest wait for one subgraph call, in milliseconds. */
  subgraphTimeoutMs: number;
}

/**
 * GATEWAY_PORT / GATEWAY_HOST for the gateway; `<NAME>_URL` for a subgraph elsewhere, else the
 * subgraph's port (`<NAME>_PORT`) on loopback.
 */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((s) => [s.name, env[`${s.name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${servicePort(s.name, env)}/graphql`]),
  ) as Record<SubgraphName, string>;
  const timeout = env.SUBGRAPH_TIMEOUT_MS === undefined ? 10_000 : Number(env.SUBGRAPH_TIMEOUT_MS);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new Error('config: SUBGRAPH_TIMEOUT_MS must be a positive integer');
  return {
    port: env.GATEWAY_PORT === undefined ? GATEWAY_DEFAULT_PORT : parsePort(env.GATEWAY_PORT, 'GATEWAY_PORT'),
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    subgraphUrls,
    subgraphTimeoutMs: timeout,
  };
}
