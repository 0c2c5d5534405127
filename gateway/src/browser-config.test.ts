import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserConfig } from './browser-config.js';

const manifest = fileURLToPath(new URL('../../apps/desk/src/gql/persisted-documents.json', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('what the gateway offers browsers, from the environment', () => {
  let dataDir: string | undefined;
  beforeEach(() => {
    dataDir = process.env.DATA_DIR;
    process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'browser-config-'));
  });
  afterEach(() => {
    if (dataDir === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = dataDir;
  });

  it('outside production: no other origin, the demo sign-in with the dev key, free operations', async () => {
    const config = await browserConfig({ NODE_ENV: 'development' });
    expect(config.corsOrigins).toEqual([]);
    expect(config.demoSignIn?.privateKey).toBeDefined();
    expect(config.trustedDocuments).toBeUndefined();
  });

  it('in production: no desk, no demo sign-in, and given manifests only registered operations (paths from where npm started)', async () => {
    const config = await browserConfig({ NODE_ENV: 'production', INIT_CWD: root, GATEWAY_TRUSTED_DOCUMENTS: 'apps/desk/src/gql/persisted-documents.json', GATEWAY_CORS_ORIGINS: 'https://desk.clinic.example' });
    expect(config.desk).toBeUndefined();
    expect(config.demoSignIn).toBeUndefined();
    expect(config.trustedDocuments?.only).toBe(true);
    expect(config.trustedDocuments?.documents.size).toBeGreaterThan(20);
    expect(config.corsOrigins).toEqual(['https://desk.clinic.example']);
  });

  it('with OIDC: no demo sign-in; the desk signs in at the provider as DESK_OIDC_CLIENT_ID', async () => {
    const oidc = { OIDC_ISSUER: 'https://id.clinic.example', OIDC_AUDIENCE: 'clinic-gateway', OIDC_JWKS_URL: 'https://id.clinic.example/jwks', DESK_OIDC_CLIENT_ID: 'clinic-desk', DESK_DIR: join(root, 'apps/desk') };
    const config = await browserConfig({ NODE_ENV: 'development', ...oidc });
    expect(config.demoSignIn).toBeUndefined();
    // apps/desk itself holds an index.html, so it stands for a built desk here.
    expect(config.desk?.signIn).toEqual({ mode: 'oidc', authority: 'https://id.clinic.example', clientId: 'clinic-desk' });
  });

  it('refuses unclear settings', async () => {
    await expect(browserConfig({ GATEWAY_TRUSTED_DOCUMENTS_ONLY: 'yes' })).rejects.toThrow(/true or false/);
    await expect(browserConfig({ GATEWAY_TRUSTED_DOCUMENTS_ONLY: 'true' })).rejects.toThrow(/needs GATEWAY_TRUSTED_DOCUMENTS/);
    await expect(browserConfig({ GATEWAY_CORS_ORIGINS: 'desk.clinic.example' })).rejects.toThrow(/not an origin/);
    await expect(browserConfig({ GATEWAY_TRUSTED_DOCUMENTS: manifest, GATEWAY_TRUSTED_DOCUMENTS_ONLY: 'maybe' })).rejects.toThrow(/true or false/);
  });
});
