import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

interface RawResponse {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe.each(testBackends())('bounded work and clean refusals on %s', (backend) => {
  let system: ClinicSystem;
  let token: string;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, gateway: { limits: { requestsPerMinute: 1000 } } });
    token = await system.token('reception.roy');
  });
  afterAll(async () => {
    await system?.stop();
  });

  const send = async (body: string, init: { method?: string; contentType?: string; url?: string } = {}): Promise<RawResponse> => {
    const response = await fetch(init.url ?? system.gateway.url, {
      method: init.method ?? 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': init.contentType ?? 'application/json', 'apollo-require-preflight': 'true' },
      ...(init.method === 'GET' ? {} : { body }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text.startsWith('{') ? JSON.parse(text) : { errors: [{ message: text }] } };
  };
  const ask = (query: string, variables?: unknown) => send(JSON.stringify({ query, variables }));
  const expectRefused = (res: RawResponse, status: number, code: string | undefined, message: RegExp) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.data ?? null).toBeNull();
    if (code) expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(res.body.errors?.[0]?.message).toMatch(message);
  };

  it('refuses a query nested deeper than the limit', async () => {
    const deep = `{ patient(id: "p-caron") { appointments { patient { appointments { patient { appointments { patient { appointments { patient { appointments { id } } } } } } } } } } }`;
    expectRefused(await ask(deep), 400, 'GRAPHQL_VALIDATION_FAILED', /depth/i);
  });

  it('refuses an alias flood', async () => {
    const flood = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: patient(id: "p-caron") { lastName }`).join(' ')} }`;
    expectRefused(await ask(flood), 400, 'GRAPHQL_VALIDATION_FAILED', /alias/i);
  });

  it('refuses a query with too many tokens or directives', async () => {
    const tokens = `{ patient(id: "p-caron") { ${Array.from({ length: 4000 }, () => 'lastName').join(' ')} } }`;
    expectRefused(await ask(tokens), 400, 'GRAPHQL_PARSE_FAILED', /Document contains more (than|that) 3000 tokens/);
    const directives = `{ patient(id: "p-caron") { lastName ${Array.from({ length: 30 }, () => '@include(if: true)').join(' ')} } }`;
    expectRefused(await ask(directives), 400, 'GRAPHQL_VALIDATION_FAILED', /directive/i);
  });

  it('refuses a query whose cost, counting list sizes, is too high — before calling any subgraph', async () => {
    const before = system.sqlStatements().patient;
    const expensive = `{ patients(first: 100) { nodes { appointments { patient { appointments { patient { careTeam { employee { lastName } } } } } } } } }`;
    const res = await ask(expensive);
    expectRefused(res, 400, 'COST_LIMIT_EXCEEDED', /too expensive: cost \d+ exceeds the limit of 100000/);
    expect(system.sqlStatements().patient).toBe(before);
    // Fragments are counted where they are spread.
    const hidden = `query { patients(first: 100) { nodes { ...Deep } } } fragment Deep on Patient { appointments { patient { appointments { patient { appointments { id } } } } } }`;
    expectRefused(await ask(hidden), 400, 'COST_LIMIT_EXCEEDED', /too expensive/);
    // A normal reception query is far below the limit.
    expect((await ask('{ patients(first: 100) { nodes { lastName phone appointments { startsAt } } } }')).status).toBe(200);
  });

  it('caps page sizes at 100', async () => {
    const res = await ask('{ patients(first: 101) { nodes { id } } }');
    expect(res.body.errors?.[0]).toMatchObject({ message: 'first must be between 1 and 100', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses batched operations, oversized bodies, malformed JSON, other content types and mutations over GET', async () => {
    const batch = await send(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
    expect(batch.status).toBe(400);
    expect(batch.body.errors?.[0]?.message).toMatch(/batch/i);

    const huge = await ask('query($v: String) { me { id } }', { v: 'x'.repeat(400_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.errors?.[0]?.message).toBe('Request body too large');

    const malformed = await send('{"query": "{ me { id } }"');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.message).toBe('Malformed request body');

    const text = await send('{ me { id } }', { contentType: 'text/plain' });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);

    const url = new URL(system.gateway.url);
    url.searchParams.set('query', 'mutation { cancelAppointment(id: "a-1") { id } }');
    const get = await send('', { method: 'GET', url: url.toString() });
    expect(get.status).toBe(405);
    const stillBooked = await ask('{ appointments { id status } }');
    expect(JSON.stringify(stillBooked.body)).toContain('"status":"BOOKED"');
  });
});

describe.each(testBackends())('rate limiting and production mode on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, gateway: { limits: { requestsPerMinute: 5 }, production: true } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('limits each authenticated user, answering 429 with Retry-After, while others go on', async () => {
    const token = await system.token('nurse.gagnon');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i += 1) {
      const response = await fetch(system.gateway.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get('retry-after');
        const body = (await response.json()) as { errors: { extensions: { code: string } }[]; data?: unknown };
        expect(body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
        expect(body.data ?? null).toBeNull();
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await system.query('{ me { id } }', undefined, { as: 'dr.tremblay' })).status).toBe(200);
  });

  it('turns off introspection and field suggestions in production', async () => {
    const introspection = await system.query('{ __schema { types { name } } }', undefined, { as: 'privacy.fortin' });
    expect(introspection.status).toBe(400);
    expect(JSON.stringify(introspection.errors)).toMatch(/introspection/i);
    const typo = await system.query('{ me { rol } }', undefined, { as: 'privacy.fortin' });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean/);
  });
});
