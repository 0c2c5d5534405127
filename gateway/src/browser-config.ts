import { resolve } from 'node:path';
import { loadOrCreateDevKeys, type DevKeyPair } from './identity/dev-keys.js';
import { oidcVerifierConfig } from './identity/identity-config.js';
import { corsOrigins } from './plugins/cors.js';
import { builtDeskDir, type DeskOptions } from './plugins/desk-static.js';
import { loadTrustedDocuments, type TrustedDocumentsOptions } from './plugins/trusted-documents.js';

/** What the gateway offers browsers, from the environment (see README, "The clinic desk"). */
export interface BrowserConfig {
  /** GATEWAY_CORS_ORIGINS: browser origins allowed to call /graphql; none by default. */
  corsOrigins: string[];
  /** GATEWAY_TRUSTED_DOCUMENTS (manifest files) and GATEWAY_TRUSTED_DOCUMENTS_ONLY (default: in production). */
  trustedDocuments?: TrustedDocumentsOptions;
  /** The built desk served at /desk/ (non-production, when built); DESK_DIR or apps/desk/dist. */
  desk?: DeskOptions;
  /** The key demo tokens are minted with (non-production without OIDC: the local dev key). */
  demoSignIn?: DevKeyPair;
}

export async function browserConfig(env: NodeJS.ProcessEnv = process.env): Promise<BrowserConfig> {
  const production = env.NODE_ENV === 'production';
  // Relative paths are read from where `npm` was started (INIT_CWD), not from the gateway's workspace.
  const fromStart = (path: string) => resolve(env.INIT_CWD ?? process.cwd(), path);
  const files = (env.GATEWAY_TRUSTED_DOCUMENTS ?? '').split(',').map((f) => f.trim()).filter(Boolean).map(fromStart);
  const onlyFlag = env.GATEWAY_TRUSTED_DOCUMENTS_ONLY;
  if (onlyFlag !== undefined && onlyFlag !== 'true' && onlyFlag !== 'false') throw new Error(`config: GATEWAY_TRUSTED_DOCUMENTS_ONLY must be true or false, got "${onlyFlag}"`);
  if (onlyFlag === 'true' && files.length === 0) throw new Error('config: GATEWAY_TRUSTED_DOCUMENTS_ONLY=true needs GATEWAY_TRUSTED_DOCUMENTS (manifest files)');
  // Problems of the OIDC settings are reported once, by the start-up check (startup-config.ts).
  const oidc = oidcVerifierConfig(env);
  const deskDir = production ? undefined : builtDeskDir(env.DESK_DIR ? fromStart(env.DESK_DIR) : undefined);
  // With OIDC the desk signs in at the provider (authorization code and PKCE) as DESK_OIDC_CLIENT_ID; else in demo mode.
  const signIn: DeskOptions['signIn'] | undefined = !oidc ? { mode: 'demo' } : env.DESK_OIDC_CLIENT_ID ? { mode: 'oidc', authority: oidc.issuer, clientId: env.DESK_OIDC_CLIENT_ID } : undefined;
  return {
    corsOrigins: corsOrigins(env.GATEWAY_CORS_ORIGINS),
    ...(files.length ? { trustedDocuments: { documents: loadTrustedDocuments(files), only: onlyFlag ? onlyFlag === 'true' : production } } : {}),
    ...(deskDir && signIn ? { desk: { dir: deskDir, signIn } } : {}),
    ...(!production && !oidc ? { demoSignIn: await loadOrCreateDevKeys() } : {}),
  };
}

