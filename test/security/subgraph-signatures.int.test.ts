import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE_HEADER, NONCE_HEADER, signedFetch, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@clinic/service-kit';
import { testBackends } from '../support/backends.js';
import { SIGNING_SECRET, startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { personalValuesIn } from '../support/graphql-errors.js';

const ENTITIES = JSON.stringify({
  query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { firstName healthInsuranceNumber } } }',
  variables: { r: [{ __typename: 'Patient', id: 'p-caron' }] },
});

describe.each(testBackends())('no way around the gateway, on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const internal = (name: string) => new URL(`/internal/policy/${name}`, system.subgraphs.patient.url).toString();

  const expectRefused = async (response: Response, why: RegExp) => {
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(personalValuesIn(text)).toEqual([]);
    const body = JSON.parse(text) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]?.message).toMatch(why);
  };

  it('refuses unsigned requests to every subgraph, _entities and _service included', async () => {
    for (const name of ['patient', 'employee', 'billing'] as const) {
      await expectRefused(await post(system.subgraphs[name].url, JSON.stringify({ query: '{ _service { sdl } }' })), /not signed/);
    }
    await expectRefused(await post(system.subgraphs.patient.url, ENTITIES), /not signed/);
    await expectRefused(await post(internal('patient-access'), JSON.stringify({ reader: { id: 'e-roy', role: 'RECEPTIONIST' }, patientIds: ['p-caron'], at: new Date().toISOString() })), /not signed/);
  });

  it('answers a request the gateway signed', async () => {
    const res = await system.querySubgraph<{ _entities: { firstName: string }[] }>('patient', JSON.parse(ENTITIES).query, JSON.parse(ENTITIES).variables);
    expect(res.data?._entities).toEqual([{ firstName: 'Jean', healthInsuranceNumber: 'CARJ62072118' }]);
  });

  it('refuses a signed request whose body, viewer or path was changed', async () => {
    const captured: { headers: Headers; body: string } = { headers: new Headers(), body: '' };
    const recorder: typeof fetch = async (_url, init) => {
      captured.headers = new Headers(init?.headers);
      captured.body = String(init?.body);
      return new Response('{}');
    };
    const original = globalThis.fetch;
    globalThis.fetch = recorder;
    try {
      await signedFetch(SIGNING_SECRET, { audience: 'patient' })(system.subgraphs.patient.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-viewer-id': 'e-roy' }, body: JSON.stringify({ query: '{ patient(id: "p-dion") { id } }' }) });
    } finally {
      globalThis.fetch = original;
    }
    const signed = Object.fromEntries(captured.headers.entries());
    const tampered = captured.body.replace('p-dion', 'p-caron');
    await expectRefused(await post(system.subgraphs.patient.url, tampered, signed), /bad signature/);
    await expectRefused(await post(system.subgraphs.patient.url, captured.body, { ...signed, 'x-viewer-id': 'e-tremblay' }), /bad signature/);
    await expectRefused(await post(internal('appointment-owners'), captured.body, signed), /bad signature/);
    // The untouched request goes through once, and only once.
    expect((await post(system.subgraphs.patient.url, captured.body, signed)).status).toBe(200);
    await expectRefused(await post(system.subgraphs.patient.url, captured.body, signed), /replayed/);
  });

  /** The headers and body of one request as the gateway signs it for `audience`, captured unsent. */
  async function captureSigned(audience: string, body: string, path = '/graphql') {
    const captured: { headers: Headers } = { headers: new Headers() };
    const original = globalThis.fetch;
    globalThis.fetch = (async (_url: unknown, init?: RequestInit) => {
      captured.headers = new Headers(init?.headers);
      return new Response('{}');
    }) as typeof fetch;
    try {
      await signedFetch(SIGNING_SECRET, { audience })(`http://127.0.0.1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } finally {
      globalThis.fetch = original;
    }
    return Object.fromEntries(captured.headers.entries());
  }

  it('refuses a request signed for one subgraph when it is sent to another (the signature names its service)', async () => {
    const body = JSON.stringify({ query: '{ _service { sdl } }' });
    for (const [signedFor, sentTo] of [['patient', 'billing'], ['patient', 'employee'], ['billing', 'patient'], ['employee', 'billing']] as const) {
      await expectRefused(await post(system.subgraphs[sentTo].url, body, await captureSigned(signedFor, body)), /signed for another service/);
    }
    // Changing the audience header to the right service breaks the signature instead.
    const forPatient = await captureSigned('patient', body);
    await expectRefused(await post(system.subgraphs.billing.url, body, { ...forPatient, [AUDIENCE_HEADER]: 'billing' }), /bad signature/);
    // The same request sent where it was signed for goes through.
    expect((await post(system.subgraphs.patient.url, body, forPatient)).status).toBe(200);
  });

  it('refuses a signed policy look-up replayed to another subgraph\'s internal endpoint', async () => {
    const body = JSON.stringify({ ids: ['a-1'] });
    const headers = await captureSigned('patient', body, '/internal/policy/invoice-owners');
    const res = await fetch(new URL('/internal/policy/invoice-owners', system.subgraphs.billing.url), { method: 'POST', headers, body });
    await expectRefused(res, /signed for another service/);
  });

  it('refuses a signature made with another secret or too long ago', async () => {
    const forge = (secret: string, timestamp: number) => signedFetch(secret, { audience: 'patient', now: () => timestamp });
    const body = JSON.stringify({ query: '{ patient(id: "p-caron") { phone } }' });
    await expectRefused(await forge('another-secret-that-is-long-enough-1234', Date.now())(system.subgraphs.patient.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }), /bad signature/);
    await expectRefused(await forge(SIGNING_SECRET, Date.now() - 120_000)(system.subgraphs.patient.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }), /expired/);
    const fake = createHmac('sha256', 'x').update('y').digest('base64url');
    await expectRefused(await post(system.subgraphs.patient.url, body, { [SIGNATURE_HEADER]: fake, [TIMESTAMP_HEADER]: String(Date.now()), [NONCE_HEADER]: 'n-1' }), /bad signature/);
  });

  it('serves many identical requests of one user at the same moment (no false replay)', async () => {
    const token = await system.token('reception.roy');
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { id } }' }) }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 30 }, () => 200));
  });

  it('keeps federation internals out of the gateway', async () => {
    for (const query of ['{ _service { sdl } }', ENTITIES]) {
      const res = await fetch(system.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token('privacy.fortin')}` },
        body: query.startsWith('{"') ? query : JSON.stringify({ query }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });
});
