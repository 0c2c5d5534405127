import { Counter, Histogram } from 'prom-client';
import { SpanKind } from '@opentelemetry/api';
import { createServiceMetrics, injectTraceContext, inSpan, type ServiceMetrics } from '@clinic/service-kit';
import type { AuditEntry, AuditLog } from '../audit-store/audit-log.js';
import type { PolicyClient } from '../policy/policy-client.js';

/**
 * Metrics and trace spans at the gateway's call sites (policy look-ups, audit append, subgraph
 * calls): the wrapped modules stay as they are. The gateway's own metrics beside the request counts every service has: decisions, token
 * refusals, the audit append, policy look-ups and subgraph calls. Every label value comes from a
 * fixed list (decision, reason code, look-up name, subgraph name, outcome): no id, no name, no value.
 */
export interface GatewayMetrics extends ServiceMetrics {
  decisions: Counter<'decision' | 'reason'>;
  tokenRefusals: Counter<'reason'>;
  auditAppendSeconds: Histogram<'outcome'>;
  auditAppendEvents: Histogram;
  auditBatchEvents: Histogram;
  policyLookupSeconds: Histogram<'lookup' | 'outcome'>;
  subgraphRequestSeconds: Histogram<'service'>;
  subgraphErrors: Counter<'service' | 'kind'>;
}

const FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const COUNTS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/** Reason codes are upper-case words (ROLE, NO_DUTY, ...): anything else is counted as "other". */
export const reasonLabel = (reason: string | null | undefined): string => (!reason ? 'none' : /^[A-Z_]{1,32}$/.test(reason) ? reason : 'other');

export function createGatewayMetrics(): GatewayMetrics {
  const base = createServiceMetrics('gateway');
  const registers = [base.registry];
  return {
    ...base,
    decisions: new Counter({ name: 'gateway_decisions_total', help: 'Access decisions on patient fields written to the audit log, by decision and reason', labelNames: ['decision', 'reason'], registers }),
    tokenRefusals: new Counter({ name: 'gateway_token_refusals_total', help: 'Refused tokens by reason (issuer, audience, expiry, key, algorithm, identity)', labelNames: ['reason'], registers }),
    auditAppendSeconds: new Histogram({ name: 'gateway_audit_append_duration_seconds', help: 'Time to write a request\'s audit events (group commit included)', labelNames: ['outcome'], buckets: FAST, registers }),
    auditAppendEvents: new Histogram({ name: 'gateway_audit_append_events', help: 'Audit events written by one request\'s append', buckets: COUNTS, registers }),
    auditBatchEvents: new Histogram({ name: 'gateway_audit_batch_events', help: 'Audit events committed in one group-commit transaction (observeAuditBatch)', buckets: COUNTS, registers }),
    policyLookupSeconds: new Histogram({ name: 'gateway_policy_lookup_duration_seconds', help: 'Policy look-up latency by look-up and outcome', labelNames: ['lookup', 'outcome'], buckets: FAST, registers }),
    subgraphRequestSeconds: new Histogram({ name: 'gateway_subgraph_request_duration_seconds', help: 'Subgraph call latency by subgraph', labelNames: ['service'], buckets: FAST, registers }),
    subgraphErrors: new Counter({ name: 'gateway_subgraph_errors_total', help: 'Failed subgraph calls by subgraph and kind (unreachable, timeout, http_4xx, http_5xx)', labelNames: ['service', 'kind'], registers }),
  };
}

async function timed<T>(histogram: Histogram<'lookup' | 'outcome'>, lookup: string, run: () => Promise<T>): Promise<T> {
  return inSpan(`policy ${lookup}`, { 'clinic.policy.lookup': lookup }, async () => {
    const stop = histogram.startTimer({ lookup });
    try {
      const result = await run();
      stop({ outcome: 'ok' });
      return result;
    } catch (err) {
      stop({ outcome: 'error' });
      throw err;
    }
  });
}

const LOOKUPS = ['patientAccess', 'appointmentOwners', 'invoiceOwners', 'employeeStatus', 'employeeNames', 'rectificationOwners', 'retentionReport', 'applyRetention'] as const satisfies readonly (keyof PolicyClient)[];

/** The same policy client, each look-up timed (the wrapping is here because policy/ is owned by the rules). */
export function instrumentPolicyClient(client: PolicyClient, metrics: GatewayMetrics): PolicyClient {
  const wrapped = Object.create(client) as Record<string, unknown>;
  for (const name of LOOKUPS) {
    const original = client[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) => timed(metrics.policyLookupSeconds, name, () => original.apply(client, args));
  }
  Object.defineProperty(wrapped, 'calls', { get: () => client.calls });
  return wrapped as unknown as PolicyClient;
}

/** The same audit log, each append timed and its decisions counted. */
export function instrumentAuditLog(auditLog: AuditLog, metrics: GatewayMetrics): AuditLog {
  return new Proxy(auditLog, {
    get(target, property, receiver) {
      if (property !== 'append') {
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return (entries: readonly AuditEntry[], at: Date) =>
        inSpan('audit append', { 'clinic.audit.events': entries.length }, async () => {
          const stop = metrics.auditAppendSeconds.startTimer();
          try {
            await target.append(entries, at);
            stop({ outcome: 'ok' });
          } catch (err) {
            stop({ outcome: 'error' });
            throw err;
          }
          metrics.auditAppendEvents.observe(entries.length);
          for (const entry of entries) metrics.decisions.inc({ decision: entry.decision, reason: reasonLabel(entry.reason) }, entry.fields.length);
        });
    },
  });
}

/**
 * Hook for the audit store's group commit: call with the number of events each transaction
 * commits (the store is not wired to it yet; see README "Metrics").
 */
export function observeAuditBatch(metrics: GatewayMetrics, events: number): void {
  metrics.auditBatchEvents.observe(events);
}

/**
 * The subgraph fetch, each call in a client span whose W3C trace context goes out in the headers
 * (`send` signs them, so the trace context is covered by the signature), timed by subgraph, its
 * failures counted by kind.
 */
export function instrumentSubgraphFetch(send: typeof fetch, serviceOf: (url: URL) => string | undefined, metrics: GatewayMetrics): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const service = serviceOf(url) ?? 'unknown';
    return inSpan(`subgraph ${service}`, { 'clinic.subgraph': service, 'url.path': url.pathname }, async (span) => {
      const stop = metrics.subgraphRequestSeconds.startTimer({ service });
      const headers = new Headers(init?.headers);
      injectTraceContext(headers);
      try {
        const response = await send(input, { ...init, headers });
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) metrics.subgraphErrors.inc({ service, kind: response.status >= 500 ? 'http_5xx' : 'http_4xx' });
        return response;
      } catch (err) {
        const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        metrics.subgraphErrors.inc({ service, kind: timeout ? 'timeout' : 'unreachable' });
        throw err;
      } finally {
        stop();
      }
    }, SpanKind.CLIENT);
  };
}
