import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoClinic, SUBGRAPHS } from '@clinic/schema';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { personalValuesOfDemoClinic } from '../support/graphql-errors.js';

/** One Prometheus sample: name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1] as string, labels: labels as Record<string, string>, value: Number(match[3]) };
    });
}

const sum = (all: Sample[], name: string, labels: Record<string, string> = {}) =>
  all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((total, s) => total + s.value, 0);

describe.each(testBackends())('Prometheus metrics on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    // The employment check on every request: the look-up metrics count each one.
    system = await startClinicSystem({ backend, gateway: { employmentRecheckMs: 0 } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const metricsOf = async (graphqlUrl: string) => {
    const response = await fetch(new URL('/metrics', graphqlUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    return { text, all: samples(text) };
  };

  it('counts and times gateway requests by operation name, and counts decisions by reason', async () => {
    await system.query('query NurseStation { patient(id: "p-caron") { lastName allergies balance } }', undefined, { as: 'nurse.gagnon' });
    await system.query('query NurseStation { patient(id: "p-caron") { lastName } }', undefined, { as: 'nurse.gagnon' });
    await system.query('{ me { id } }', undefined, { as: 'reception.roy' });
    // A patient's sign-in asks the patient subgraph for their own record (a chart by id no longer does).
    await system.query('{ me { id } }', undefined, { as: 'patient.caron' });
    await system.query('{ me { id } }', undefined, { as: 'patient.caron' });
    const { all } = await metricsOf(system.gateway.url);
    expect(sum(all, 'graphql_requests_total', { operation: 'NurseStation' })).toBe(2);
    expect(sum(all, 'graphql_requests_total', { operation: 'NurseStation', outcome: 'partial' })).toBe(1);
    expect(sum(all, 'graphql_requests_total', { operation: 'anonymous', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sum(all, 'graphql_request_duration_seconds_count', { operation: 'NurseStation' })).toBe(2);
    // A nurse may not read the balance (billing information): one ROLE denial, the rest allowed.
    expect(sum(all, 'gateway_decisions_total', { decision: 'DENY', reason: 'ROLE' })).toBeGreaterThanOrEqual(1);
    expect(sum(all, 'gateway_decisions_total', { decision: 'ALLOW' })).toBeGreaterThanOrEqual(3);
    expect(sum(all, 'gateway_audit_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sum(all, 'gateway_audit_append_events_count')).toBeGreaterThanOrEqual(2);
    expect(sum(all, 'gateway_policy_lookup_duration_seconds_count', { lookup: 'patientAccess', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sum(all, 'gateway_policy_lookup_duration_seconds_count', { lookup: 'employeeStatus', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
    expect(sum(all, 'gateway_subgraph_request_duration_seconds_count', { service: 'patient' })).toBeGreaterThanOrEqual(2);
  });

  it('counts refused tokens by reason', async () => {
    await system.query('{ me { id } }', undefined, { authorization: 'Bearer a.b.c' });
    await system.query('{ me { id } }', undefined, { as: 'nurse.leblanc' });
    const { all } = await metricsOf(system.gateway.url);
    expect(sum(all, 'gateway_token_refusals_total', { reason: 'MALFORMED' })).toBeGreaterThanOrEqual(1);
    expect(sum(all, 'gateway_token_refusals_total', { reason: 'EMPLOYMENT_ENDED' })).toBe(1);
  });

  it('keeps label values bounded: a client sending 150 operation names makes at most a hundred series', async () => {
    const token = `Bearer ${await system.token('reception.roy')}`;
    for (let batch = 0; batch < 3; batch += 1) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query: `query Op${batch}x${i} { me { id } }` }) }),
        ),
      );
    }
    const { all } = await metricsOf(system.gateway.url);
    const operations = new Set(all.filter((s) => s.name === 'graphql_requests_total').map((s) => s.labels.operation));
    expect(operations.size).toBeLessThanOrEqual(102);
    expect(operations.has('other')).toBe(true);
  });

  it('counts subgraph errors by service', async () => {
    await system.stopSubgraph('billing');
    try {
      await system.query('{ patient(id: "p-caron") { lastName balance } }', undefined, { as: 'billing.cote' });
    } finally {
      await system.restartSubgraph('billing');
    }
    const { all } = await metricsOf(system.gateway.url);
    expect(sum(all, 'gateway_subgraph_errors_total', { service: 'billing', kind: 'unreachable' })).toBeGreaterThanOrEqual(1);
    expect(sum(all, 'gateway_subgraph_errors_total', { service: 'patient' })).toBe(0);
  });

  it('serves metrics on every subgraph too: requests by operation, internal endpoints, signature refusals', async () => {
    await fetch(system.subgraphs.patient.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    for (const { name } of SUBGRAPHS) {
      const { text, all } = await metricsOf(system.subgraphs[name].url);
      expect(text, name).toContain('# TYPE graphql_requests_total counter');
      expect(text, name).toContain('# TYPE graphql_request_duration_seconds histogram');
      expect(all.every((s) => s.labels.service === `${name}-subgraph`), name).toBe(true);
    }
    const patient = (await metricsOf(system.subgraphs.patient.url)).all;
    expect(sum(patient, 'internal_request_duration_seconds_count', { endpoint: 'patient-access' })).toBeGreaterThanOrEqual(1);
    expect(sum(patient, 'signature_refusals_total', { why: 'request not signed' })).toBeGreaterThanOrEqual(1);
  });

  it('carries no personal information and no record id in any label or value', async () => {
    await system.query('query Search { patients(search: "Caron", first: 5) { nodes { id lastName } } }', undefined, { as: 'reception.roy' });
    const clinic = loadDemoClinic();
    const ids = [...clinic.patients.map((p) => p.id), ...clinic.employees.map((e) => e.id)];
    for (const url of [system.gateway.url, ...SUBGRAPHS.map((s) => system.subgraphs[s.name].url)]) {
      const { text, all } = await metricsOf(url);
      const labelValues = all.flatMap((s) => Object.values(s.labels));
      expect(personalValuesOfDemoClinic().filter((v) => labelValues.some((l) => l.includes(v)))).toEqual([]);
      expect(ids.filter((id) => text.includes(`"${id}"`))).toEqual([]);
      expect(text).not.toContain('Caron');
    }
  });
});
