import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@clinic/service-kit';
import { gatewayConfig } from './config.js';
import { gatewaySettings } from './startup-config.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start-up configuration', () => {
  it('reports every problem at once', async () => {
    const env = {
      DATA_DIR: dir,
      NODE_ENV: 'production',
      GATEWAY_PORT: 'abc',
      RATE_LIMIT_PER_MINUTE: '-1',
      BILLING_URL: 'ftp://billing',
      OIDC_ISSUER: 'not a url',
      OIDC_ROLE_MAP: 'clinic-boss=BOSS',
      OIDC_MFA_CLAIM: 'loa',
      OIDC_ALGORITHMS: 'RS256,HS256',
      TOKEN_MAX_LIFETIME_SECONDS: 'forever',
      GATEWAY_SIGNING_SECRET: 'short',
      AUDIT_DATABASE_URL: 'mysql://audit',
    };
    const error = await gatewaySettings(env).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems } = error as ConfigurationError;
    for (const variable of ['GATEWAY_PORT', 'RATE_LIMIT_PER_MINUTE', 'BILLING_URL', 'OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_ROLE_MAP', 'OIDC_MFA_CLAIM', 'OIDC_ALGORITHMS', 'TOKEN_MAX_LIFETIME_SECONDS', 'GATEWAY_SIGNING_SECRET', 'DATABASE_URL']) {
      expect(problems.some((p) => p.includes(variable)), `a problem names ${variable}: ${problems.join(' | ')}`).toBe(true);
    }
    expect((error as Error).message).toMatch(/configuration has 11 problems/);
  });

  it('reuses an employment check for a second unless told, 0 asking on every request, and refuses anything but a whole number of milliseconds', () => {
    expect(gatewayConfig({}).employmentRecheckMs).toBe(1000);
    expect(gatewayConfig({ EMPLOYMENT_RECHECK_MS: '0' }).employmentRecheckMs).toBe(0);
    expect(gatewayConfig({ EMPLOYMENT_RECHECK_MS: '250' }).employmentRecheckMs).toBe(250);
    for (const bad of ['-1', '1.5', 'soon', '']) expect(() => gatewayConfig({ EMPLOYMENT_RECHECK_MS: bad }), bad).toThrow(/EMPLOYMENT_RECHECK_MS must be 0 or a positive integer/);
  });

  it('refuses two subgraphs at one origin (signatures name their service by origin) and production without a provider', async () => {
    const error = (await gatewaySettings({ DATA_DIR: dir, NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(40), PATIENT_URL: 'http://10.0.0.5:4001/graphql', BILLING_URL: 'http://10.0.0.5:4001/graphql' }).catch((err: unknown) => err)) as ConfigurationError;
    expect(error.problems).toEqual([expect.stringMatching(/patient and billing subgraphs are both at http:\/\/10\.0\.0\.5:4001/), expect.stringMatching(/NODE_ENV=production needs OIDC_ISSUER/)]);
  });

  it('accepts a complete OIDC configuration', async () => {
    const settings = await gatewaySettings({ DATA_DIR: dir, NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(40), OIDC_ISSUER: 'https://sso.clinic.example/realms/clinic', OIDC_AUDIENCE: 'clinic-gateway', OIDC_ROLE_CLAIM: 'realm_access.roles', OIDC_ROLE_MAP: 'clinic-physician=PHYSICIAN' });
    expect(settings.tokens).toMatchObject({ issuer: 'https://sso.clinic.example/realms/clinic', audience: 'clinic-gateway', claims: { roleClaim: 'realm_access.roles', roleNames: { 'clinic-physician': 'PHYSICIAN' } } });
    expect(settings.production).toBe(true);
  });
});
