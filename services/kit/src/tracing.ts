import { createRequire } from 'node:module';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type * as OpenTelemetrySdk from '@opentelemetry/sdk-node';
import type { tracing } from '@opentelemetry/sdk-node';
import type { RequestHandler } from 'express';

// The SDK (exporters, gRPC, protobuf) takes about a second to load: only a process that starts
// tracing loads it, so every other process, script and test file starts without it.
const loadSdk = () => createRequire(import.meta.url)('@opentelemetry/sdk-node') as typeof OpenTelemetrySdk;

/**
 * OpenTelemetry traces, off unless the standard OTEL_* variables configure an exporter. Spans are
 * made with the API: without a started SDK they cost nothing. Span names and attributes carry
 * services, operation names, look-up names, counts and status codes, never ids or values.
 */
export const tracer = () => trace.getTracer('clinic-federation');

/** OTEL_TRACES_EXPORTER or an OTLP endpoint names where traces go; OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turns them off. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_TRACES_EXPORTER || env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface RunningTracing {
  stop(): Promise<void>;
}

/**
 * Starts the official Node SDK for this process when configured (or when a test hands its own span
 * processors, e.g. the SDK's in-memory exporter). Metrics stay with Prometheus (/metrics), logs with pino.
 */
export function startTracing(serviceName: string, options: { env?: NodeJS.ProcessEnv; spanProcessors?: tracing.SpanProcessor[] } = {}): RunningTracing | undefined {
  const env = options.env ?? process.env;
  if (!options.spanProcessors && !tracingConfigured(env)) return undefined;
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  const { NodeSDK } = loadSdk();
  const sdk = new NodeSDK({ serviceName: env.OTEL_SERVICE_NAME ?? serviceName, instrumentations: [], ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}) });
  sdk.start();
  return { stop: () => sdk.shutdown() };
}

/** Runs `work` in a span that is active for everything it awaits; errors mark the span and go on. */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** W3C trace context into outgoing headers (the gateway's side: they are then signed with the request). */
export function injectTraceContext(headers: Headers): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/**
 * The span of one HTTP request to a service, child of the caller's trace context (`traceparent`,
 * which the subgraphs receive inside the gateway's signature); active while the request runs.
 */
export function requestSpan(service: string): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(`${service} ${req.method} ${req.baseUrl || req.path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'clinic.service': service } }, parent);
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Spans for the phases of a GraphQL request: parse, validate, execute (children of the request span). */
export function tracingPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  const phase = (name: string) => {
    const span = tracer().startSpan(name);
    return (failed: boolean) => {
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
  };
  return {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          const end = phase('graphql.parse');
          return async (err) => end(Boolean(err));
        },
        async validationDidStart() {
          const end = phase('graphql.validate');
          return async (errors) => end(Boolean(errors?.length));
        },
        async didResolveOperation({ operation, operationName }) {
          const span = trace.getActiveSpan();
          if (operation) span?.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) span?.setAttribute('graphql.operation.name', operationName.slice(0, 100));
        },
        async executionDidStart() {
          const end = phase('graphql.execute');
          return { async executionDidEnd(err) { end(Boolean(err)); } };
        },
      };
    },
  };
}
