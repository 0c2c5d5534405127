import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch, type RunningSubgraph } from '@clinic/service-kit';
import type { RunningGateway } from '@clinic/gateway';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { SIGNING_SECRET, startClinicSystem, type ClinicSystem, type GraphQLResponse } from '../support/clinic-system.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

/** Low enough to reach in a test; every other user of this file stays under it. */
const LIMIT = 10;
const CREATE = 'mutation Create($input: AccessRestrictionInput!) { createAccessRestriction(input: $input) { id } }';
const LIFT = 'mutation Lift($id: ID!) { liftAccessRestriction(id: $id) { id } }';

/**
 * A health network's deployment: three gateway replicas and two replicas of the patient subgraph on
 * one database per service (PostgreSQL in CI) and one Redis. Restrictions, the rate limit and the
 * replay memory must hold across all of them.
 */
describe.each(testBackends())('replicas sharing state, on %s', (backend) => {
  let redis: TestRedis;
  let system: ClinicSystem;
  let patientB: RunningSubgraph;
  let gateways: RunningGateway[];

  beforeAll(async () => {
    redis = await startTestRedis();
    system = await startClinicSystem({ backend, redisUrl: redis.url, gateway: { limits: { requestsPerMinute: LIMIT } } });
    patientB = await system.startSubgraphReplica('patient');
    // Gateway 1 uses patient replica A, gateways 2 and 3 replica B.
    gateways = [system.gateway, await system.startReplica({ subgraphUrls: { ...system.gatewaySubgraphUrls(), patient: patientB.url } }), await system.startReplica({ subgraphUrls: { ...system.gatewaySubgraphUrls(), patient: patientB.url } })];
  });
  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
  });

  async function via<T = Record<string, unknown>>(gateway: RunningGateway, username: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token(username, { mfa: true })}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) } as GraphQLResponse<T>;
  }

  it('every replica is ready with Redis, and says so', async () => {
    for (const gateway of gateways) {
      const ready = (await (await fetch(new URL('/readyz', gateway.url))).json()) as { dependencies: Record<string, boolean> };
      expect(ready.dependencies.redis).toBe(true);
    }
  });

  it('a restriction created through one replica holds on every replica on the next request, and so does its lifting', async () => {
    const read = (gateway: RunningGateway) => via(gateway, 'nurse.bouchard', '{ patient(id: "p-caron") { medications { name } } }');
    for (const gateway of gateways) expectDecision(await read(gateway), ['patient', 'medications'], 'allow');
    const created = await via<{ createAccessRestriction: { id: string } }>(gateways[0] as RunningGateway, 'privacy.fortin', CREATE, {
      input: { patientId: 'p-caron', employeeId: 'e-bouchard', fields: ['Patient.medications'], reason: 'Asked at the desk.' },
    });
    expect(created.errors).toBeUndefined();
    for (const gateway of gateways) expectDecision(await read(gateway), ['patient', 'medications'], 'RESTRICTED');
    await via(gateways[2] as RunningGateway, 'privacy.fortin', LIFT, { id: created.data?.createAccessRestriction.id });
    for (const gateway of gateways) expectDecision(await read(gateway), ['patient', 'medications'], 'allow');
  });

  it('the per-user rate limit holds across replicas', async () => {
    const statuses: number[] = [];
    // Four requests through each replica: each replica alone would allow all of them.
    for (let i = 0; i < 12; i += 1) statuses.push((await via(gateways[i % 3] as RunningGateway, 'manager.girard', '{ me { id } }')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
    // Another user is not affected.
    expect((await via(gateways[1] as RunningGateway, 'hr.lavoie', '{ me { id } }')).status).toBe(200);
  });

  it('a signed request replayed to another replica of the same subgraph is refused', async () => {
    let captured: Record<string, string> = {};
    const original = globalThis.fetch;
    globalThis.fetch = (async (_url: unknown, init?: RequestInit) => {
      captured = Object.fromEntries(new Headers(init?.headers).entries());
      return new Response('{}');
    }) as typeof fetch;
    const body = JSON.stringify({ query: '{ _service { sdl } }' });
    try {
      await signedFetch(SIGNING_SECRET, { audience: 'patient' })('http://127.0.0.1/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } finally {
      globalThis.fetch = original;
    }
    const send = (url: string) => fetch(url, { method: 'POST', headers: captured, body });
    expect((await send(system.subgraphs.patient.url)).status).toBe(200);
    const replayed = await send(patientB.url);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/replayed/);
  });

  it('keeps the audit chain valid under concurrent load through all replicas', async () => {
    const before = await via<{ verifyAuditChain: { ok: boolean; events: number } }>(gateways[1] as RunningGateway, 'privacy.fortin', '{ verifyAuditChain { ok events } }');
    const readers: [string, string][] = [
      ['reception.roy', '{ patients(first: 5) { nodes { lastName phone } } }'],
      ['dr.tremblay', '{ patient(id: "p-lefebvre") { allergies clinicalNotes { id } } }'],
      ['nurse.gagnon', '{ patient(id: "p-caron") { vitals { kind } balance } }'],
      ['billing.cote', '{ patients(first: 5) { nodes { healthInsuranceNumber balance } } }'],
      ['accounting.morin', '{ patient(id: "p-dion") { balance lastName } }'],
      ['consult.pelletier', '{ patient(id: "p-ouellet") { diagnoses { code } } }'],
    ];
    const responses = await Promise.all(readers.flatMap(([user, query]) => Array.from({ length: 9 }, (_, i) => via(gateways[i % 3] as RunningGateway, user, query))));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    const after = await via<{ verifyAuditChain: { ok: boolean; events: number } }>(gateways[2] as RunningGateway, 'privacy.fortin', '{ verifyAuditChain { ok events firstBrokenEventId } }');
    expect(after.data?.verifyAuditChain).toMatchObject({ ok: true, firstBrokenEventId: null });
    expect((after.data?.verifyAuditChain.events ?? 0) - (before.data?.verifyAuditChain.events ?? 0)).toBeGreaterThanOrEqual(responses.length);
  });
});
