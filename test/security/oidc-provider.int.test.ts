import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenVerifierConfig, type RunningGateway } from '@clinic/gateway';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

const ME = '{ me { id role mfa } }';
const KEYCLOAK_ROLES = 'clinic-physician=PHYSICIAN,clinic-nurse=NURSE,clinic-reception=RECEPTIONIST,clinic-patient=PATIENT';

/** Accounts of the provider, with claims where providers put them (Keycloak realm roles, groups, UUID subjects). */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  // Keycloak: realm roles beside Keycloak's own, the clinic id in a user attribute mapped to a claim, MFA as acr.
  'kc-tremblay': { realm_access: { roles: ['default-roles-clinic', 'offline_access', 'clinic-physician'] }, clinic_id: 'e-tremblay', acr: 'mfa' },
  'kc-roy': { realm_access: { roles: ['offline_access', 'clinic-reception'] }, clinic_id: 'e-roy', acr: '1' },
  'kc-caron': { realm_access: { roles: ['clinic-patient'] }, clinic_id: 'p-caron', acr: '1' },
  // An employee who left the clinic, and one claiming to be a patient.
  'kc-leblanc': { realm_access: { roles: ['clinic-nurse'] }, clinic_id: 'e-leblanc', acr: 'mfa' },
  'kc-leblanc-as-patient': { realm_access: { roles: ['clinic-patient'] }, clinic_id: 'e-leblanc', acr: '1' },
  // Two clinic roles at once: the gateway does not guess which one.
  'kc-two-roles': { realm_access: { roles: ['clinic-physician', 'clinic-reception'] }, clinic_id: 'e-tremblay', acr: 'mfa' },
  'kc-no-role': { realm_access: { roles: ['offline_access'] }, clinic_id: 'e-roy', acr: '1' },
  'kc-no-id': { realm_access: { roles: ['clinic-reception'] }, acr: '1' },
  // Another provider: groups as paths, amr, and no clinic id in the token (the subject is mapped by a table).
  '0b5c3f2e-6f1a-4c1e-9a55-3f7e2a1d9c40': { groups: ['/staff', '/NURSE'], amr: ['pwd', 'otp', 'mfa'] },
  '7d0e1c9a-2b44-4f7a-8d21-5e6f7a8b9c01': { groups: ['/BILLING_AGENT'], amr: ['pwd'] },
};

describe.each(testBackends())('tokens of a real OpenID provider, on %s', (backend) => {
  let system: ClinicSystem;
  let provider: TestOidcProvider;
  let keycloakLike: RunningGateway;
  let groupsAndTable: RunningGateway;
  let otherAudience: RunningGateway;
  const dir = mkdtempSync(join(tmpdir(), 'clinic-oidc-'));

  beforeAll(async () => {
    system = await startClinicSystem({ backend });
    provider = await startOidcProvider(ACCOUNTS);
    // Discovery only (no OIDC_JWKS_URL): the gateway finds the keys from the issuer.
    keycloakLike = await system.startReplica({
      tokens: await tokenVerifierConfig({
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: provider.audience,
        OIDC_ALGORITHMS: 'RS256',
        OIDC_ROLE_CLAIM: 'realm_access.roles',
        OIDC_ROLE_MAP: KEYCLOAK_ROLES,
        OIDC_ID_CLAIM: 'clinic_id',
        OIDC_MFA_CLAIM: 'acr',
        OIDC_MFA_VALUES: 'mfa',
      }),
    });
    const table = join(dir, 'subjects.json');
    writeFileSync(table, JSON.stringify({ '0b5c3f2e-6f1a-4c1e-9a55-3f7e2a1d9c40': 'e-gagnon', '7d0e1c9a-2b44-4f7a-8d21-5e6f7a8b9c01': 'e-cote' }));
    groupsAndTable = await system.startReplica({
      tokens: await tokenVerifierConfig({
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: provider.audience,
        OIDC_JWKS_URL: `${provider.issuer}/jwks`,
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ID_MAP_FILE: table,
      }),
    });
    otherAudience = await system.startReplica({ tokens: await tokenVerifierConfig({ OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: 'another-api' }) });
  });
  afterAll(async () => {
    await system?.stop();
    await provider?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (gateway: RunningGateway, token: string, query = ME) => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as { data?: { me?: unknown; patient?: unknown }; errors?: { extensions?: { code?: string } }[] } };
  };
  const expectRefused = (res: Awaited<ReturnType<typeof ask>>) => {
    expect(res.status).toBe(401);
    expect(res.challenge).toBe('Bearer error="invalid_token"');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  };

  it('reads the role from realm_access.roles through the role map, the id from a claim and MFA from acr', async () => {
    expect((await ask(keycloakLike, await provider.login('kc-tremblay'))).body.data?.me).toEqual({ id: 'e-tremblay', role: 'PHYSICIAN', mfa: true });
    expect((await ask(keycloakLike, await provider.login('kc-roy'))).body.data?.me).toEqual({ id: 'e-roy', role: 'RECEPTIONIST', mfa: false });
    expect((await ask(keycloakLike, await provider.login('kc-caron'))).body.data?.me).toEqual({ id: 'p-caron', role: 'PATIENT', mfa: false });
  });

  it('applies the rules to the mapped viewer: a physician with acr=mfa reads clinical notes of a patient in their care', async () => {
    const res = await ask(keycloakLike, await provider.login('kc-tremblay'), '{ patient(id: "p-lefebvre") { clinicalNotes { id } } }');
    expect(res.body.errors).toBeUndefined();
    expect((res.body.data?.patient as { clinicalNotes: unknown[] }).clinicalNotes.length).toBeGreaterThan(0);
  });

  it('reads groups as paths, amr, and a subject-to-id table', async () => {
    expect((await ask(groupsAndTable, await provider.login('0b5c3f2e-6f1a-4c1e-9a55-3f7e2a1d9c40'))).body.data?.me).toEqual({ id: 'e-gagnon', role: 'NURSE', mfa: true });
    expect((await ask(groupsAndTable, await provider.login('7d0e1c9a-2b44-4f7a-8d21-5e6f7a8b9c01'))).body.data?.me).toEqual({ id: 'e-cote', role: 'BILLING_AGENT', mfa: false });
    // A subject missing from the table names nobody.
    expectRefused(await ask(groupsAndTable, await provider.login('kc-roy')));
  });

  it('refuses provider tokens that name no one, two roles, someone who left, or the wrong kind of record', async () => {
    for (const account of ['kc-two-roles', 'kc-no-role', 'kc-no-id', 'kc-leblanc', 'kc-leblanc-as-patient']) {
      expectRefused(await ask(keycloakLike, await provider.login(account)));
    }
  });

  it('refuses a real token issued for another audience, and a dev token where the provider is configured', async () => {
    expectRefused(await ask(otherAudience, await provider.login('kc-roy')));
    expectRefused(await ask(keycloakLike, await system.token('reception.roy')));
  });
});
