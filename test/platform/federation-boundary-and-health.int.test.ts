import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { RECEPTIONIST } from '../support/callers.js';
import { expectOneError } from '../support/graphql-errors.js';

/** The base URL of a service: its GraphQL URL without /graphql. */
const baseOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

describe.each(testBackends())('federation boundary and health endpoints on %s', (backend) => {
  let system: ClinicSystem;

  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  // Asked by an authenticated caller (the receptionist), so that validation, not authentication, refuses them.
  describe('federation internals are not reachable through the gateway', () => {
    it('refuses _entities at validation, so no entity can be fetched by representation', async () => {
      const res = await system.query(`{ _entities(representations: [{ __typename: "Patient", id: "p-caron" }]) { ... on Patient { id firstName healthInsuranceNumber } } }`, undefined, RECEPTIONIST);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expectOneError(res, 'GRAPHQL_VALIDATION_FAILED', /^Cannot query field "_entities" on type "Query"\./);
    });

    it('refuses _service at validation, so the subgraph SDL is not served', async () => {
      const res = await system.query(`{ _service { sdl } }`, undefined, RECEPTIONIST);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expectOneError(res, 'GRAPHQL_VALIDATION_FAILED', /^Cannot query field "_service" on type "Query"\./);
    });

    it('publishes no federation field or type in the gateway schema', async () => {
      const res = await system.query<{ __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] }; types: { name: string }[] } }>(
        `{ __schema { queryType { fields { name } } mutationType { fields { name } } types { name } } }`,
        undefined,
        RECEPTIONIST,
      );
      expect(res.errors).toBeUndefined();
      const schema = res.data?.__schema;
      const queryFields = schema?.queryType.fields.map((f) => f.name) ?? [];
      expect(queryFields).toEqual(expect.arrayContaining(['patient', 'patients', 'employee', 'employees', 'invoice', 'appointments']));
      expect(queryFields.filter((name) => name.startsWith('_'))).toEqual([]);
      expect(schema?.mutationType.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['bookAppointment', 'cancelAppointment']));
      const types = schema?.types.map((t) => t.name) ?? [];
      expect(types).toEqual(expect.arrayContaining(['Patient', 'Employee', 'Invoice', 'Appointment']));
      expect(types.filter((name) => name.startsWith('_') && !name.startsWith('__'))).toEqual([]);
      expect(types).not.toContain('_Entity');
      expect(types).not.toContain('_Any');
      expect(types).not.toContain('_Service');
    });
  });

  it('marks every GraphQL answer, of the gateway and of the subgraphs, as not to be stored (personal information)', async () => {
    const gateway = await fetch(system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token('reception.roy')}` },
      body: JSON.stringify({ query: '{ patient(id: "p-caron") { lastName } }' }),
    });
    expect(gateway.status).toBe(200);
    expect(gateway.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const subgraph = await fetch(system.subgraphs.patient.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(subgraph.headers.get('cache-control')).toBe('no-store');
  });

  describe('health endpoints', () => {
    const services = () => [
      ['gateway', system.gateway.url],
      ['patient subgraph', system.subgraphs.patient.url],
      ['employee subgraph', system.subgraphs.employee.url],
      ['billing subgraph', system.subgraphs.billing.url],
    ] as const;

    it('answers GET /healthz with 200 on the gateway and every subgraph', async () => {
      for (const [name, url] of services()) {
        const response = await fetch(`${baseOf(url)}/healthz`);
        expect(response.status, name).toBe(200);
        expect(await response.json(), name).toEqual({ status: 'ok', service: name });
      }
    });

    it('answers GET /readyz with 200 on the gateway and every subgraph while everything is up', async () => {
      for (const [name, url] of services()) {
        const response = await fetch(`${baseOf(url)}/readyz`);
        expect(response.status, name).toBe(200);
        expect(await response.json(), name).toMatchObject({ status: 'ready', service: name, notReady: [] });
      }
    });

    // Last: it stops a subgraph of this file's system.
    it('makes the gateway report not ready (503) once a subgraph stops answering, while it stays alive', async () => {
      await system.subgraphs.billing.stop();
      const ready = await fetch(`${baseOf(system.gateway.url)}/readyz`);
      expect(ready.status).toBe(503);
      // It names what is not ready.
      expect(await ready.json()).toEqual({
        status: 'not ready',
        service: 'gateway',
        notReady: ['billing subgraph'],
        dependencies: { 'audit store': true, 'patient subgraph': true, 'employee subgraph': true, 'billing subgraph': false },
      });
      const alive = await fetch(`${baseOf(system.gateway.url)}/healthz`);
      expect(alive.status).toBe(200);
    });
  });
});
