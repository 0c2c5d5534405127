import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one service (`GET /metrics`). Labels hold only values from short, fixed
 * lists or names the service bounds itself (BoundedNames): never an id, a search term or a value.
 */

/** Operation names are chosen by clients: the first `max` well-formed ones are kept, the rest are "other". */
export class BoundedNames {
  private readonly known = new Set<string>();

  constructor(private readonly max = 100) {}

  label(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
    if (this.known.has(name)) return name;
    if (this.known.size >= this.max) return 'other';
    this.known.add(name);
    return name;
  }
}

export interface ServiceMetrics {
  registry: Registry;
  operations: BoundedNames;
  requests: Counter<'operation' | 'outcome'>;
  requestSeconds: Histogram<'operation'>;
}

/** A registry of its own per service instance (tests run several services in one process). */
export function createServiceMetrics(service: string, options: { maxOperationNames?: number } = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    operations: new BoundedNames(options.maxOperationNames ?? 100),
    requests: new Counter({ name: 'graphql_requests_total', help: 'GraphQL requests by operation name and outcome (ok, partial, error)', labelNames: ['operation', 'outcome'], registers: [registry] }),
    requestSeconds: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name, from request start to response',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

/** Counts and times every GraphQL request by its (bounded) operation name. */
export function requestMetricsPlugin<C extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, response }) {
          const operation = metrics.operations.label(operationName);
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const outcome = !body?.errors?.length ? 'ok' : body.data ? 'partial' : 'error';
          metrics.requests.inc({ operation, outcome });
          metrics.requestSeconds.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
