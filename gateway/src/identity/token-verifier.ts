import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { ROLES, type Role } from '@clinic/schema';
import { isWellFormedId } from '@clinic/service-kit';
import type { Viewer } from './viewer.js';

export type TokenProblem = 'MISSING' | 'MALFORMED' | 'EXPIRED' | 'INVALID';

export type TokenVerification = { ok: true; viewer: Viewer } | { ok: false; problem: TokenProblem };

export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  /** Only these algorithms are accepted: `none` and symmetric HS* never are. */
  algorithms: string[];
  key: CryptoKey | JWTVerifyGetKey;
  clockToleranceSeconds?: number;
}

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

/** The clinic's OpenID Connect provider: keys from its JWKS, issuer and audience from configuration. */
export function oidcVerifierConfig(env: NodeJS.ProcessEnv): TokenVerifierConfig | undefined {
  const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksUrl } = env;
  if (!issuer && !audience && !jwksUrl) return undefined;
  if (!issuer || !audience || !jwksUrl) throw new Error('config: OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL go together');
  const algorithms = (env.OIDC_ALGORITHMS ?? 'RS256,ES256,PS256').split(',').map((a) => a.trim());
  return { issuer, audience, algorithms, key: createRemoteJWKSet(new URL(jwksUrl)) };
}

/** Verifies `Authorization: Bearer <JWT>`: signature, issuer, audience, expiry, algorithm, claims. */
export function createTokenVerifier(config: TokenVerifierConfig) {
  const bad = config.algorithms.filter((a) => !ASYMMETRIC.test(a));
  if (bad.length > 0 || config.algorithms.length === 0) {
    throw new Error(`config: token algorithms must be asymmetric (RS*, PS*, ES*, EdDSA); refused: ${bad.join(', ') || '(none given)'}`);
  }
  return async function verify(authorization: string | undefined): Promise<TokenVerification> {
    if (!authorization) return { ok: false, problem: 'MISSING' };
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization.trim());
    if (!match?.[1] || match[1].length > 8192) return { ok: false, problem: 'MALFORMED' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], config.key as CryptoKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: config.algorithms,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: config.clockToleranceSeconds ?? 5,
      }));
    } catch (err) {
      return { ok: false, problem: err instanceof errors.JWTExpired ? 'EXPIRED' : 'INVALID' };
    }
    const viewer = viewerFromClaims(payload);
    return viewer ? { ok: true, viewer } : { ok: false, problem: 'INVALID' };
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

function viewerFromClaims(payload: JWTPayload): Viewer | undefined {
  const { sub, role, amr } = payload as JWTPayload & { role?: unknown; amr?: unknown };
  if (!isWellFormedId(sub)) return undefined;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return undefined;
  const methods = Array.isArray(amr) ? amr : [];
  return { id: sub, role: role as Role, mfa: methods.includes('mfa') };
}
