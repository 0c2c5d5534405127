import {
  createLogger,
  maskUnexpectedErrors,
  requestLoggingPlugin,
  startHttpService,
  type Logger,
  type RunningHttpService,
} from '@clinic/service-kit';
import { readSupergraphSdl } from '@clinic/schema';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { subgraphsReady } from './readiness.js';
import { buildSupergraphSchema } from './supergraph-schema.js';

export interface GatewayOptions extends GatewayConfig {
  supergraphSdl?: string;
  logger?: Logger;
}

/** The one place that composes the gateway: supergraph schema, plugins, HTTP endpoints. */
export async function startGateway(options: GatewayOptions): Promise<RunningHttpService> {
  const logger = options.logger ?? createLogger('gateway');
  const schema = buildSupergraphSchema({
    supergraphSdl: options.supergraphSdl ?? readSupergraphSdl(),
    subgraphUrls: options.subgraphUrls,
    subgraphTimeoutMs: options.subgraphTimeoutMs,
  });
  return startHttpService<GatewayContext>({
    name: 'gateway',
    logger,
    port: options.port,
    host: options.host,
    apollo: {
      schema,
      formatError: maskUnexpectedErrors('gateway', logger),
      includeStacktraceInErrorResponses: false,
      plugins: [requestLoggingPlugin(logger)],
    },
    context: async ({ requestId }) => ({ requestId }),
    ready: () => subgraphsReady(options.subgraphUrls),
  });
}
