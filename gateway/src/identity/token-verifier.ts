import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { DEFAULT_CLAIMS_MAPPING, viewerFromClaims, type ClaimsMapping, type ClaimsProblem } from './claims-mapping.js';
import type { Viewer } from './viewer.js';

/** What the client is told (a stable, short message; the details go to the log). */
export type TokenProblem = 'MISSING' | 'MALFORMED' | 'EXPIRED' | 'INVALID';

/**
 * Why a token was refused, for the operator's log: enough to tell a wrong issuer from a wrong
 * audience, a clock problem or a key rotation, and nothing of the token itself.
 */
export type RefusalReason =
  | 'MISSING'
  | 'MALFORMED'
  | 'ISSUER'
  | 'AUDIENCE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'ISSUED_IN_FUTURE'
  | 'TOO_OLD'
  | 'MISSING_CLAIM'
  | 'ALGORITHM'
  | 'UNKNOWN_KEY'
  | 'SIGNATURE'
  | 'KEYS_UNREACHABLE'
  | ClaimsProblem;

export interface TokenRefusal {
  ok: false;
  problem: TokenProblem;
  reason: RefusalReason;
  /** Facts about the refused token that help diagnose it (issuer, audience, algorithm, key id, claim); never the token or the subject. */
  details: Record<string, unknown>;
}

export type TokenVerification = { ok: true; viewer: Viewer } | TokenRefusal;

export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  /** Only these algorithms are accepted: `none` and symmetric HS* never are. */
  algorithms: string[];
  key: CryptoKey | JWTVerifyGetKey;
  /** How far the provider's clock may be ahead of or behind ours (exp, nbf, iat). Default 5 s. */
  clockToleranceSeconds?: number;
  /** The longest a token is honoured after its `iat`, whatever its `exp`. Default 12 h. */
  maxLifetimeSeconds?: number;
  /** Where the role, the id and MFA are in the provider's tokens. Default: `role`, `sub`, `amr`. */
  claims?: ClaimsMapping;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
/**
 * How long a verified token is answered from memory, never past its `exp` or its maximum
 * lifetime: a key the provider withdraws stops being honoured within it.
 */
export const VERIFIED_TOKEN_REUSE_SECONDS = 60;
/** Verified tokens kept at most (by digest); past it they are forgotten all at once. */
const VERIFIED_KEPT_AT_MOST = 10_000;
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;
export const ASYMMETRIC_ALGORITHM = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

function refused(problem: TokenProblem, reason: RefusalReason, details: Record<string, unknown> = {}): TokenRefusal {
  return { ok: false, problem, reason, details };
}

/** What can be said about a token without trusting it: who claims to have issued it, for whom, with which key. */
function unverifiedFacts(token: string): Record<string, unknown> {
  try {
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    const short = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : Array.isArray(v) ? v.slice(0, 5).map((x) => String(x).slice(0, 200)) : undefined);
    return { alg: short(header.alg), kid: short(header.kid), tokenIssuer: short(claims.iss), tokenAudience: short(claims.aud) };
  } catch {
    return {};
  }
}

function classify(err: unknown): { problem: TokenProblem; reason: RefusalReason; claim?: string } {
  if (err instanceof errors.JWTExpired) return err.claim === 'iat' ? { problem: 'EXPIRED', reason: 'TOO_OLD' } : { problem: 'EXPIRED', reason: 'EXPIRED' };
  if (err instanceof errors.JWTClaimValidationFailed) {
    const byClaim: Record<string, RefusalReason> = { iss: 'ISSUER', aud: 'AUDIENCE', nbf: 'NOT_YET_VALID', iat: 'ISSUED_IN_FUTURE' };
    const reason = err.reason === 'missing' ? 'MISSING_CLAIM' : (byClaim[err.claim] ?? 'MISSING_CLAIM');
    return { problem: 'INVALID', reason, claim: err.claim };
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return { problem: 'INVALID', reason: 'ALGORITHM' };
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return { problem: 'INVALID', reason: 'UNKNOWN_KEY' };
  if (err instanceof errors.JWSSignatureVerificationFailed) return { problem: 'INVALID', reason: 'SIGNATURE' };
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return { problem: 'INVALID', reason: 'KEYS_UNREACHABLE' };
  if (err instanceof TypeError && /key/i.test(err.message)) return { problem: 'INVALID', reason: 'ALGORITHM' };
  return { problem: 'INVALID', reason: 'MALFORMED' };
}

/**
 * Verifies `Authorization: Bearer <JWT>`: signature, issuer, audience, algorithm, expiry, a
 * not-before and an issued-at that are not in the future (beyond the clock tolerance), an age under
 * the maximum lifetime whatever `exp` says, and the claims that name the caller.
 */
export function createTokenVerifier(config: TokenVerifierConfig) {
  const bad = config.algorithms.filter((a) => !ASYMMETRIC_ALGORITHM.test(a));
  if (bad.length > 0 || config.algorithms.length === 0) {
    throw new Error(`config: token algorithms must be asymmetric (RS*, PS*, ES*, EdDSA); refused: ${bad.join(', ') || '(none given)'}`);
  }
  const mapping = config.claims ?? DEFAULT_CLAIMS_MAPPING;
  const tolerance = config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const maxLifetime = config.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  // A signature check costs more CPU than the rest of a small request; a client sends one token many times.
  const verified = new Map<string, { viewer: Viewer; until: number }>();
  return async function verify(authorization: string | undefined): Promise<TokenVerification> {
    if (!authorization) return refused('MISSING', 'MISSING');
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization.trim());
    if (!match?.[1] || match[1].length > 8192) return refused('MALFORMED', 'MALFORMED');
    const token = match[1];
    const digest = createHash('sha256').update(token).digest('base64url');
    const kept = verified.get(digest);
    if (kept && Date.now() / 1000 < kept.until) return { ok: true, viewer: { ...kept.viewer } };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, config.key as CryptoKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: config.algorithms,
        requiredClaims: ['exp', 'iat'],
        clockTolerance: tolerance,
        // Also refuses an `iat` in the future (beyond the tolerance).
        maxTokenAge: maxLifetime,
      }));
    } catch (err) {
      const { problem, reason, claim } = classify(err);
      return refused(problem, reason, { ...unverifiedFacts(token), ...(claim ? { claim } : {}), expectedIssuer: config.issuer, expectedAudience: config.audience });
    }
    const named = viewerFromClaims(payload as Record<string, unknown>, mapping);
    if ('problem' in named) return refused('INVALID', named.problem, { roleClaim: mapping.roleClaim, idClaim: mapping.idClaim });
    // jose honours a token while now < exp + tolerance and now <= iat + maxLifetime + tolerance (both required claims).
    const until = Math.min(Date.now() / 1000 + VERIFIED_TOKEN_REUSE_SECONDS, Number(payload.exp) + tolerance, Number(payload.iat) + maxLifetime + tolerance);
    if (verified.size >= VERIFIED_KEPT_AT_MOST) verified.clear();
    verified.set(digest, { viewer: { ...named.viewer }, until });
    return { ok: true, viewer: named.viewer };
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
