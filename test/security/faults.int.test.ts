import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

describe.each(testBackends())('faults on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, gateway: { limits: { requestsPerMinute: 100_000 } } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const chart = () => system.query<{ patient: { lastName: string; balance: number | null } | null }>('{ patient(id: "p-caron") { lastName balance } }', undefined, { as: 'billing.cote' });

  it('serves what it has while a subgraph is down, says what is missing, and recovers when it returns', async () => {
    expect((await chart()).data).toEqual({ patient: { lastName: 'Caron', balance: 45 } });
    await system.stopSubgraph('billing');
    const partial = await chart();
    expect(partial.status).toBe(200);
    expect(partial.data).toEqual({ patient: { lastName: 'Caron', balance: null } });
    expect(partial.errors?.map((e) => e.path)).toEqual([['patient', 'balance']]);
    expect(partial.errors?.[0]).toMatchObject({ message: 'The billing service is unavailable; try again later', extensions: { code: 'SERVICE_UNAVAILABLE' } });
    const health = await fetch(new URL('/healthz', system.gateway.url));
    expect(health.status).toBe(200);
    const ready = await fetch(new URL('/readyz', system.gateway.url));
    expect(ready.status).toBe(503);

    await system.restartSubgraph('billing');
    expect((await chart()).data).toEqual({ patient: { lastName: 'Caron', balance: 45 } });
    expect((await fetch(new URL('/readyz', system.gateway.url))).status).toBe(200);
  });

  it('answers without a subgraph that is too slow, within the subgraph timeout', async () => {
    // A billing "subgraph" that accepts connections and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const replica = await system.startReplica({ subgraphUrls: { ...system.gatewaySubgraphUrls(), billing: `http://127.0.0.1:${port}/graphql` }, subgraphTimeoutMs: 500 });
    try {
      const started = Date.now();
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token('billing.cote')}` },
        body: JSON.stringify({ query: '{ patient(id: "p-caron") { lastName balance } }' }),
      });
      const body = (await response.json()) as { data: unknown; errors: { path: unknown; extensions: { code: string } }[] };
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(response.status).toBe(200);
      expect(body.data).toEqual({ patient: { lastName: 'Caron', balance: null } });
      expect(body.errors.map((e) => [e.path, e.extensions.code])).toEqual([[['patient', 'balance'], 'SERVICE_UNAVAILABLE']]);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('loses no committed write when a subgraph is killed in the middle of a load', async () => {
    const book = (i: number) =>
      system.query<{ bookAppointment: { id: string } }>(
        'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
        { input: { patientId: 'p-dion', practitionerId: 'e-tremblay', startsAt: new Date(Date.UTC(2032, 0, 1 + i, 15)).toISOString(), reason: `load ${i}` } },
        { as: 'reception.roy' },
      );
    const pending: Promise<Awaited<ReturnType<typeof book>>>[] = [];
    for (let i = 0; i < 40; i += 1) {
      pending.push(book(i));
      if (i === 20) await system.stopSubgraph('patient');
      if (i === 30) await system.restartSubgraph('patient');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const results = await Promise.all(pending);
    for (const r of results) expect(r.status, JSON.stringify(r)).toBeLessThan(500);
    const confirmed = results.flatMap((r) => (r.data?.bookAppointment ? [r.data.bookAppointment.id] : []));
    const failed = results.filter((r) => !r.data?.bookAppointment);
    expect(confirmed.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(r.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');

    const stored = await system.query<{ patient: { appointments: { id: string }[] } }>('{ patient(id: "p-dion") { appointments { id } } }', undefined, { as: 'reception.roy' });
    const ids = stored.data?.patient.appointments.map((a) => a.id) ?? [];
    for (const id of confirmed) expect(ids).toContain(id);
  });
});
