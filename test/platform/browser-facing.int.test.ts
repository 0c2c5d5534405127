import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsOrigins, loadTrustedDocuments } from '@clinic/gateway';
import { clinicTimeZone } from '@clinic/schema';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

const DESK_MANIFEST = fileURLToPath(new URL('../../apps/desk/src/gql/persisted-documents.json', import.meta.url));
const DESK_DIR = fileURLToPath(new URL('../../apps/desk/', import.meta.url));
const origin = (system: ClinicSystem) => system.gateway.url.replace(/\/graphql$/, '');

async function preflight(system: ClinicSystem, from: string) {
  return fetch(system.gateway.url, {
    method: 'OPTIONS',
    headers: { origin: from, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
}

describe('what the gateway offers browsers', () => {
  describe('by default (no GATEWAY_CORS_ORIGINS), outside production', () => {
    let system: ClinicSystem;
    beforeAll(async () => {
      system = await startClinicSystem({ backend: 'sqlite', demoSignIn: true, gateway: { desk: { dir: DESK_DIR, signIn: { mode: 'demo' } } } });
    });
    afterAll(async () => {
      await system?.stop();
    });

    it('allows no other origin', async () => {
      const answer = await preflight(system, 'https://desk.clinic.example');
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('keeps CSRF prevention on: a simple cross-site POST is refused', async () => {
      const answer = await fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { id } }"}' });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toMatch(/CSRF|preflight/i);
    });

    it('lists the demo users and mints a demo token the gateway accepts; refuses unknown users', async () => {
      const users = (await (await fetch(`${origin(system)}/dev/demo-users`)).json()) as { users: { username: string; role: string }[] };
      expect(users.users.map((u) => u.username)).toEqual(expect.arrayContaining(['dr.tremblay', 'reception.roy', 'patient.caron']));
      const minted = await fetch(`${origin(system)}/dev/demo-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dr.tremblay', mfa: true }) });
      const { token } = (await minted.json()) as { token: string };
      const me = await fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { id role mfa } }' }) });
      expect(await me.json()).toEqual({ data: { me: { id: 'e-tremblay', role: 'PHYSICIAN', mfa: true } } });
      const unknown = await fetch(`${origin(system)}/dev/demo-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody' }) });
      expect(unknown.status).toBe(400);
    });

    it("serves the desk's config with a content security policy", async () => {
      const config = await fetch(`${origin(system)}/desk/config.json`);
      expect(await config.json()).toEqual({ graphqlUrl: '/graphql', signIn: { mode: 'demo' }, timeZone: clinicTimeZone() });
      expect(config.headers.get('content-security-policy')).toContain("default-src 'self'");
    });
  });

  describe('with an allow-list and trusted documents only', () => {
    let system: ClinicSystem;
    const documents = loadTrustedDocuments([DESK_MANIFEST]);
    beforeAll(async () => {
      system = await startClinicSystem({ backend: 'sqlite', gateway: { corsOrigins: corsOrigins('https://desk.clinic.example'), trustedDocuments: { documents, only: true } } });
    });
    afterAll(async () => {
      await system?.stop();
    });

    it('answers the preflight of a listed origin only', async () => {
      const listed = await preflight(system, 'https://desk.clinic.example');
      expect(listed.headers.get('access-control-allow-origin')).toBe('https://desk.clinic.example');
      expect(listed.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
      const other = await preflight(system, 'https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    const post = async (body: unknown, as = 'reception.roy') =>
      fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token(as)}` }, body: JSON.stringify(body) });
    const meId = [...documents.entries()].find(([, text]) => text.startsWith('query DeskMe '))?.[0] ?? '';

    it('runs a registered operation by its id (documentId or the persisted-query hash) or by its exact text', async () => {
      for (const body of [{ documentId: `sha256:${meId}` }, { extensions: { persistedQuery: { version: 1, sha256Hash: meId } } }, { query: documents.get(meId) }]) {
        const answer = await post(body);
        expect(answer.status).toBe(200);
        expect(((await answer.json()) as { data: { me: { id: string } } }).data.me.id).toBe('e-roy');
      }
    });

    it('refuses any other operation with a clear 400', async () => {
      const free = await post({ query: '{ me { id } }' });
      expect(free.status).toBe(400);
      expect(await free.json()).toEqual({ errors: [{ message: 'Only registered operations run on this gateway, and this document is not registered', extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' } }] });
      const unknown = await post({ documentId: 'sha256:0000' });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const byGet = await fetch(`${system.gateway.url}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(byGet.status).toBe(400);
    });
  });

  describe('in production', () => {
    let system: ClinicSystem;
    beforeAll(async () => {
      system = await startClinicSystem({ backend: 'sqlite', demoSignIn: true, gateway: { production: true, desk: { dir: DESK_DIR, signIn: { mode: 'demo' } } } });
    });
    afterAll(async () => {
      await system?.stop();
    });

    it('has no demo sign-in, no desk and no IDE', async () => {
      expect((await fetch(`${origin(system)}/dev/demo-users`)).status).toBe(404);
      expect((await fetch(`${origin(system)}/dev/demo-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"dr.tremblay"}' })).status).toBe(404);
      expect((await fetch(`${origin(system)}/desk/config.json`)).status).toBe(404);
      expect((await fetch(`${origin(system)}/graphiql`)).status).toBe(404);
    });
  });

  it('refuses an allow-list that is not a list of origins, or mixes * with origins', () => {
    expect(corsOrigins(undefined)).toEqual([]);
    expect(corsOrigins(' https://a.example , http://localhost:5173 ')).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => corsOrigins('https://a.example/path')).toThrow(/not an origin/);
    expect(() => corsOrigins('*,https://a.example')).toThrow(/cannot be combined/);
  });

  it('refuses a manifest whose ids are not the hashes of their documents', () => {
    const manifest = JSON.parse(readFileSync(DESK_MANIFEST, 'utf8')) as Record<string, string>;
    expect(loadTrustedDocuments([DESK_MANIFEST]).size).toBe(Object.keys(manifest).length);
    const forged = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'forged.json');
    const [id] = Object.keys(manifest);
    writeFileSync(forged, JSON.stringify({ [id ?? 'x']: '{ patients { nodes { healthInsuranceNumber } } }' }));
    expect(() => loadTrustedDocuments([forged])).toThrow(/is not the SHA-256 of its document/);
  });
});
