import { SpanKind } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch, startTracing, tracingConfigured, type RunningTracing } from '@clinic/service-kit';
import { SIGNING_SECRET, startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

type Span = tracing.ReadableSpan;

/**
 * Traces with the official Node SDK and its in-memory exporter: the gateway and the subgraphs run in
 * this process, so one exporter sees both sides of every subgraph call.
 */
describe('OpenTelemetry traces', () => {
  const exporter = new tracing.InMemorySpanExporter();
  let running: RunningTracing | undefined;
  let system: ClinicSystem;
  beforeAll(async () => {
    running = startTracing('clinic-test', { spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
    system = await startClinicSystem({ backend: 'sqlite' });
  });
  afterAll(async () => {
    await system?.stop();
    await running?.stop();
  });

  const parentOf = (span: Span) => span.parentSpanContext?.spanId;
  const named = (spans: Span[], name: string) => spans.filter((s) => s.name === name);

  it('is off unless OTEL_* variables configure an exporter', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingConfigured({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingConfigured({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });

  it('traces a request: its parse, validate and execute phases, each subgraph call into the subgraph\'s own span, the policy look-ups and the audit append', async () => {
    exporter.reset();
    const res = await system.query('query NurseStation { patient(id: "p-caron") { lastName allergies balance careTeam { employee { lastName } } } }', undefined, { as: 'nurse.gagnon' });
    expect(res.data).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const spans = exporter.getFinishedSpans();
    const [request] = named(spans, 'gateway POST /graphql');
    expect(request?.kind).toBe(SpanKind.SERVER);
    expect(request?.attributes['graphql.operation.name']).toBe('NurseStation');
    const trace = spans.filter((s) => s.spanContext().traceId === request?.spanContext().traceId);
    for (const phase of ['graphql.parse', 'graphql.validate', 'graphql.execute']) {
      expect(named(trace, phase).map(parentOf), phase).toContain(request?.spanContext().spanId);
    }
    // The chart's policy facts come with its record: its look-up is the employment check.
    for (const name of ['policy employeeStatus', 'audit append']) expect(named(trace, name).length, name).toBeGreaterThan(0);
    // Every subgraph call has a client span, and the subgraph's server span is its child: W3C trace context went along.
    for (const service of ['patient', 'employee', 'billing']) {
      const calls = named(trace, `subgraph ${service}`);
      expect(calls.length, service).toBeGreaterThan(0);
      expect(calls.every((c) => c.kind === SpanKind.CLIENT)).toBe(true);
      const served = trace.filter((s) => s.name.startsWith(`${service} subgraph POST`));
      expect(served.length, service).toBeGreaterThan(0);
      for (const span of served) expect(calls.map((c) => c.spanContext().spanId)).toContain(parentOf(span));
    }
    // Subgraph GraphQL phases are traced too, inside the same trace.
    expect(named(trace, 'graphql.execute').length).toBeGreaterThan(1);

    // A patient's sign-in looks their own record up: that look-up is traced in its request too.
    exporter.reset();
    expect((await system.query('query Portal { me { id } }', undefined, { as: 'patient.caron' })).data).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const portal = exporter.getFinishedSpans();
    const [portalRequest] = named(portal, 'gateway POST /graphql');
    const lookups = named(portal, 'policy patientAccess').filter((s) => s.spanContext().traceId === portalRequest?.spanContext().traceId);
    expect(lookups.length).toBeGreaterThan(0);
  });

  it('carries no personal information in span names or attributes', async () => {
    exporter.reset();
    await system.query('{ patients(search: "Caron", first: 3) { nodes { id lastName phone } } }', undefined, { as: 'reception.roy' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = JSON.stringify(exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const value of ['Caron', 'p-caron', 'e-roy', '514']) expect(text).not.toContain(value);
  });

  it('signs the trace context with the request: a changed traceparent breaks the signature', async () => {
    let captured: Record<string, string> = {};
    const original = globalThis.fetch;
    globalThis.fetch = (async (_url: unknown, init?: RequestInit) => {
      captured = Object.fromEntries(new Headers(init?.headers).entries());
      return new Response('{}');
    }) as typeof fetch;
    const body = JSON.stringify({ query: '{ __typename }' });
    try {
      await signedFetch(SIGNING_SECRET, { audience: 'patient' })('http://127.0.0.1/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        body,
      });
    } finally {
      globalThis.fetch = original;
    }
    const changed = { ...captured, traceparent: '00-11111111111111111111111111111111-2222222222222222-01' };
    const refused = await fetch(system.subgraphs.patient.url, { method: 'POST', headers: changed, body });
    expect(refused.status).toBe(401);
    expect((await fetch(system.subgraphs.patient.url, { method: 'POST', headers: captured, body })).status).toBe(200);
  });
});
