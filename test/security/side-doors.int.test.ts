import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { storedEvents } from '../support/audit-helpers.js';

interface Raw {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Side doors an outside attacker found (issue 12): request ids, persisted queries, subscriptions, odd input, cost, listeners. */
describe.each(testBackends())('side doors on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, gateway: { limits: { requestsPerMinute: 100_000 } } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const send = async (body: unknown, options: { as?: string; mfa?: boolean; headers?: Record<string, string> } = {}): Promise<Raw> => {
    const token = options.as ? await system.token(options.as, { mfa: options.mfa ?? false }) : undefined;
    const response = await fetch(system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Raw['body'] };
  };

  describe('request ids', () => {
    it('the gateway names every request itself, returns the id in a header and in every error, and the audit log records it, not the client\'s', async () => {
      const before = (await storedEvents(system.gateway.auditStore)).length;
      const res = await send({ query: '{ patient(id: "p-caron") { lastName address } }' }, { as: 'reception.roy', headers: { 'x-request-id': 'client-chosen-0001' } });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(UUID);
      expect(id).not.toBe('client-chosen-0001');
      expect(res.body.errors?.length).toBeGreaterThan(0);
      for (const error of res.body.errors ?? []) expect(error.extensions?.requestId).toBe(id);
      const events = (await storedEvents(system.gateway.auditStore)).slice(before);
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) expect(event.requestId).toBe(id);
      // The client's own id is recorded beside it, as the privacy officer reads the log.
      const log = await system.query<{ auditLog: { requestId: string; clientRequestId: string | null }[] }>(
        'query($p: ID) { auditLog(patientId: $p, first: 20) { requestId clientRequestId } }',
        { p: 'p-caron' },
        { as: 'privacy.fortin' },
      );
      expect(log.data?.auditLog.filter((e) => e.requestId === id).map((e) => e.clientRequestId)).toContain('client-chosen-0001');
    });

    it('two requests with the same client id get two different ids; refusals before the operation carry the id too', async () => {
      const headers = { 'x-request-id': 'same-client-id-42' };
      const a = await send({ query: '{ me { id } }' }, { as: 'reception.roy', headers });
      const b = await send({ query: '{ me { id } }' }, { as: 'reception.roy', headers });
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
      const unauthenticated = await send({ query: '{ me { id } }' }, { headers: { ...headers, authorization: 'Bearer not-a-token' } });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers.get('x-request-id')).toMatch(UUID);
      expect(unauthenticated.body.errors?.[0]?.extensions?.requestId).toBe(unauthenticated.headers.get('x-request-id'));
    });

    it('a malformed or huge client id never becomes the request id', async () => {
      for (const clientId of ['x'.repeat(5000), '<script>', 'id with spaces', '']) {
        const res = await send({ query: '{ me { id } }' }, { as: 'reception.roy', headers: { 'x-request-id': clientId } });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-request-id')).toMatch(UUID);
      }
    });
  });

  describe('persisted queries and subscriptions', () => {
    const query = '{ me { id role } }';
    const expectClear = (res: Raw, status: number, code: string, message: RegExp) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.body.errors?.[0]?.message).toMatch(message);
    };

    it('an unknown hash is a 404 PERSISTED_QUERY_NOT_FOUND; the query sent with its hash is served and can then be sent by hash alone', async () => {
      const unknown = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { id } } # never sent') } } }, { as: 'reception.roy' });
      expectClear(unknown, 404, 'PERSISTED_QUERY_NOT_FOUND', /PersistedQueryNotFound/);
      const registered = await send({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, { as: 'reception.roy' });
      expect(registered.status).toBe(200);
      expect(registered.body.data).toEqual({ me: { id: 'e-roy', role: 'RECEPTIONIST' } });
      const byHash = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, { as: 'reception.roy' });
      expect(byHash.body.data).toEqual({ me: { id: 'e-roy', role: 'RECEPTIONIST' } });
    });

    it.each([
      ['a mismatched hash', { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } } }, /not the SHA-256 of the query/],
      ['an unsupported version', { query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } }, /only version 1/],
      ['a hash that is not a SHA-256', { extensions: { persistedQuery: { version: 1, sha256Hash: 'zz' } } }, /64 lower-case hexadecimal/],
      ['a persistedQuery that is not an object', { query, extensions: { persistedQuery: 'yes' } }, /must be an object/],
      ['extensions that are not an object', { query, extensions: 'persisted' }, /must be a JSON object/],
    ])('%s is a clear 400 BAD_REQUEST', async (_name, body, message) => {
      expectClear(await send(body, { as: 'reception.roy' }), 400, 'BAD_REQUEST', message);
    });

    it('a subscription is refused with a clear validation error', async () => {
      const res = await send({ query: 'subscription { me { id } }' }, { as: 'reception.roy' });
      expectClear(res, 400, 'GRAPHQL_VALIDATION_FAILED', /Subscriptions are not supported/);
    });
  });

  describe('odd input', () => {
    const justified = (justification: string) =>
      send({ query: 'mutation($j: String!) { openEmergencyAccess(patientId: "p-ouellet", justification: $j) { id } }', variables: { j: justification } }, { as: 'nurse.bouchard' });

    it.each([
      ['20 zero-width spaces', '\u200b'.repeat(20)],
      ['word joiners and zero-width spaces', '\u2060\u200b'.repeat(15)],
      ['one repeated letter', 'a'.repeat(30)],
      ['punctuation', '!'.repeat(25)],
    ])('an emergency-access justification of %s is refused and opens nothing', async (_name, text) => {
      const res = await justified(text);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(/letters or digits|repeat one character/);
      expect(res.body.data ?? null).toBeNull();
    });

    it.each(['2031-03-10T10:00:00+99:99', '2031-03-10T10:00:00+15:00', '2031-02-30T10:00:00-05:00', '2031-03-10T24:00:00Z', '2031-03-10T10:60:00Z', '2031-03-10T10:00:00+05:60'])(
      'bookAppointment refuses the impossible startsAt %s and books nothing',
      async (startsAt) => {
        const res = await send(
          { query: 'mutation($s: String!) { bookAppointment(input: { patientId: "p-bergeron", practitionerId: "e-nguyen", startsAt: $s }) { id startsAt } }', variables: { s: startsAt } },
          { as: 'reception.roy' },
        );
        expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(res.body.errors?.[0]?.message).toMatch(/startsAt must be an ISO-8601 date and time/);
        expect(res.body.data ?? null).toBeNull();
      },
    );

    it('bookAppointment keeps a real offset exactly', async () => {
      const res = await send(
        { query: 'mutation { bookAppointment(input: { patientId: "p-bergeron", practitionerId: "e-nguyen", startsAt: "2031-03-10T10:00:00+05:30" }) { startsAt } }' },
        { as: 'reception.roy' },
      );
      expect(res.body.data).toEqual({ bookAppointment: { startsAt: '2031-03-10T04:30:00.000Z' } });
    });

    it.each(['2026-02-30', '2026-11-20T10:00:00+99:99', '2026-11-20T25:00:00Z'])('an incident date %s is refused', async (date) => {
      const res = await send(
        { query: 'mutation($d: String) { reportIncident(input: { description: "Lost laptop", occurredAt: $d }) { id } }', variables: { d: date } },
        { as: 'privacy.fortin' },
      );
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(/occurredAt must be an ISO-8601 date/);
    });
  });

  describe('cost', () => {
    it('counts a variable default and a variable value like the literal they stand for', async () => {
      // 100 patients with their (assumed 10) appointments are over the limit; 20 patients would not be.
      const literal = await send({ query: '{ patients(first: 100) { nodes { id appointments { id reason startsAt status patient { id firstName lastName } practitioner { id } } } } }' }, { as: 'reception.roy' });
      const byDefault = await send({ query: 'query($f: Int = 100) { patients(first: $f) { nodes { id appointments { id reason startsAt status patient { id firstName lastName } practitioner { id } } } } }' }, { as: 'reception.roy' });
      const byValue = await send({ query: 'query($f: Int) { patients(first: $f) { nodes { id appointments { id reason startsAt status patient { id firstName lastName } practitioner { id } } } } }', variables: { f: 100 } }, { as: 'reception.roy' });
      expect(literal.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
      const twenty = await send({ query: '{ patients(first: 20) { nodes { id appointments { id reason startsAt status patient { id firstName lastName } practitioner { id } } } } }' }, { as: 'reception.roy' });
      expect(twenty.body.errors ?? []).toEqual([]);
      expect(byDefault.body.errors?.[0]?.extensions?.cost).toBe(literal.body.errors?.[0]?.extensions?.cost);
      expect(byValue.body.errors?.[0]?.extensions?.cost).toBe(literal.body.errors?.[0]?.extensions?.cost);
    });
  });

  it('serves a burst of concurrent requests without MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const query = '{ appointments { id patient { lastName phone } practitioner { lastName } } patients(first: 30) { nodes { id lastName invoices { id } } } }';
      const responses = await Promise.all(Array.from({ length: 40 }, () => send({ query }, { as: 'reception.roy' })));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
  });
});
