import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys } from './dev-keys.js';
import { oidcVerifierConfig, type TokenVerifierConfig } from './token-verifier.js';

/**
 * Production: the clinic's OpenID Connect provider (OIDC_ISSUER, OIDC_AUDIENCE, OIDC_JWKS_URL).
 * Local and demo: the dev key in the data folder. Production without OIDC refuses to start.
 */
export async function tokenVerifierConfig(env: NodeJS.ProcessEnv = process.env): Promise<TokenVerifierConfig> {
  const oidc = oidcVerifierConfig(env);
  if (oidc) return oidc;
  if (env.NODE_ENV === 'production') throw new Error('config: NODE_ENV=production needs OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL');
  const { publicKey } = await loadOrCreateDevKeys();
  return { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM], key: publicKey };
}
