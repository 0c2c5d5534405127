import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { ROLES, type Role } from '@clinic/schema';
import { ConfigCheck, isWellFormedId } from '@clinic/service-kit';
import { DEFAULT_CLAIMS_MAPPING, type ClaimsMapping } from './claims-mapping.js';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys } from './dev-keys.js';
import { ASYMMETRIC_ALGORITHM, DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type TokenVerifierConfig } from './token-verifier.js';

/** Environment variables read here (the README's configuration table lists them). */
export const IDENTITY_VARIABLES = [
  'OIDC_ISSUER',
  'OIDC_AUDIENCE',
  'OIDC_JWKS_URL',
  'OIDC_ALGORITHMS',
  'OIDC_ROLE_CLAIM',
  'OIDC_ROLE_MAP',
  'OIDC_ID_CLAIM',
  'OIDC_ID_MAP_FILE',
  'OIDC_MFA_CLAIM',
  'OIDC_MFA_VALUES',
  'TOKEN_CLOCK_SKEW_SECONDS',
  'TOKEN_MAX_LIFETIME_SECONDS',
] as const;

function wholeSeconds(env: NodeJS.ProcessEnv, name: string, fallback: number, check: ConfigCheck): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    check.problem(`${name} must be a whole number of seconds, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** `OIDC_ROLE_MAP=clinic-physician=PHYSICIAN,clinic-nurse=NURSE`: provider role names to the clinic's. */
function roleNames(raw: string | undefined, check: ConfigCheck): Record<string, Role> {
  const names: Record<string, Role> = {};
  for (const pair of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const from = pair.slice(0, at).trim();
    const to = pair.slice(at + 1).trim();
    if (at <= 0 || !(ROLES as readonly string[]).includes(to)) check.problem(`OIDC_ROLE_MAP: "${pair}" must be provider-name=ROLE with ROLE one of ${ROLES.join(', ')}`);
    else names[from] = to as Role;
  }
  return names;
}

/** `OIDC_ID_MAP_FILE`: a JSON object from the provider's subject to the clinic's employee or patient id. */
function idTable(file: string | undefined, check: ConfigCheck): Record<string, string> | undefined {
  if (!file) return undefined;
  return check.read(() => {
    const table = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof table !== 'object' || table === null || Array.isArray(table)) throw new Error(`OIDC_ID_MAP_FILE: ${file} must hold a JSON object { "<subject>": "<clinic id>" }`);
    const wrong = Object.entries(table).filter(([, id]) => !isWellFormedId(id));
    if (wrong.length > 0) throw new Error(`OIDC_ID_MAP_FILE: ${wrong.length} entr${wrong.length === 1 ? 'y maps' : 'ies map'} to something that is not a clinic id`);
    return table as Record<string, string>;
  }, undefined);
}

function claimsMapping(env: NodeJS.ProcessEnv, check: ConfigCheck): ClaimsMapping {
  const mfaClaim = env.OIDC_MFA_CLAIM ?? 'amr';
  if (mfaClaim !== 'amr' && mfaClaim !== 'acr') check.problem(`OIDC_MFA_CLAIM must be "amr" or "acr", got "${mfaClaim}"`);
  const mfaValues = (env.OIDC_MFA_VALUES ?? (mfaClaim === 'acr' ? '' : 'mfa')).split(',').map((v) => v.trim()).filter(Boolean);
  if (mfaValues.length === 0) check.problem('OIDC_MFA_VALUES must name the acr value(s) that mean two-factor authentication when OIDC_MFA_CLAIM=acr');
  const ids = idTable(env.OIDC_ID_MAP_FILE, check);
  return {
    roleClaim: env.OIDC_ROLE_CLAIM ?? DEFAULT_CLAIMS_MAPPING.roleClaim,
    roleNames: roleNames(env.OIDC_ROLE_MAP, check),
    idClaim: env.OIDC_ID_CLAIM ?? DEFAULT_CLAIMS_MAPPING.idClaim,
    ...(ids ? { ids } : {}),
    mfa: { claim: mfaClaim === 'acr' ? 'acr' : 'amr', values: mfaValues },
  };
}

function httpUrl(raw: string, name: string, check: ConfigCheck): URL | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url;
  } catch {
    check.problem(`${name} must be an http(s) URL, got "${raw}"`);
    return undefined;
  }
}

/**
 * The provider's keys: from OIDC_JWKS_URL, or from the `jwks_uri` of its discovery document
 * (`<issuer>/.well-known/openid-configuration`), read on the first token and again after a failure.
 */
export function providerKeys(issuer: string, jwksUrl: URL | undefined): JWTVerifyGetKey {
  if (jwksUrl) return createRemoteJWKSet(jwksUrl);
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const response = await fetch(new URL(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`), { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`OIDC discovery answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== issuer) throw new Error('OIDC discovery names another issuer');
    if (typeof document.jwks_uri !== 'string') throw new Error('OIDC discovery has no jwks_uri');
    return createRemoteJWKSet(new URL(document.jwks_uri));
  };
  return async (header, token) => {
    keys ??= discover().catch((err: unknown) => {
      keys = undefined;
      throw err;
    });
    return (await keys)(header, token);
  };
}

/** The OIDC part of the configuration, problems noted on `check`; undefined when no OIDC variable is set. */
export function oidcVerifierConfig(env: NodeJS.ProcessEnv, check: ConfigCheck = new ConfigCheck()): TokenVerifierConfig | undefined {
  const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksRaw } = env;
  const lifetimes = {
    clockToleranceSeconds: wholeSeconds(env, 'TOKEN_CLOCK_SKEW_SECONDS', DEFAULT_CLOCK_TOLERANCE_SECONDS, check),
    maxLifetimeSeconds: wholeSeconds(env, 'TOKEN_MAX_LIFETIME_SECONDS', DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, check),
  };
  if (lifetimes.maxLifetimeSeconds === 0) check.problem('TOKEN_MAX_LIFETIME_SECONDS must be more than 0');
  const mapped = IDENTITY_VARIABLES.filter((v) => v.startsWith('OIDC_') && !['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'].includes(v) && env[v] !== undefined);
  if (!issuer && !audience && !jwksRaw) {
    if (mapped.length > 0) check.problem(`${mapped.join(', ')} set without OIDC_ISSUER and OIDC_AUDIENCE`);
    return undefined;
  }
  if (!issuer) check.problem('OIDC_ISSUER is missing (OIDC_AUDIENCE or OIDC_JWKS_URL is set)');
  if (!audience) check.problem('OIDC_AUDIENCE is missing (OIDC_ISSUER or OIDC_JWKS_URL is set)');
  if (issuer) httpUrl(issuer, 'OIDC_ISSUER', check);
  const jwksUrl = jwksRaw ? httpUrl(jwksRaw, 'OIDC_JWKS_URL', check) : undefined;
  const algorithms = (env.OIDC_ALGORITHMS ?? 'RS256,ES256,PS256').split(',').map((a) => a.trim()).filter(Boolean);
  const bad = algorithms.filter((a) => !ASYMMETRIC_ALGORITHM.test(a));
  if (bad.length > 0 || algorithms.length === 0) check.problem(`OIDC_ALGORITHMS must list asymmetric algorithms only (RS*, PS*, ES*, EdDSA); refused: ${bad.join(', ') || '(none given)'}`);
  const claims = claimsMapping(env, check);
  if (!issuer || !audience) return undefined;
  return { issuer, audience, algorithms, key: providerKeys(issuer, jwksUrl), claims, ...lifetimes };
}

/**
 * Production: the clinic's OpenID Connect provider (OIDC_ISSUER, OIDC_AUDIENCE, and OIDC_JWKS_URL
 * or discovery). Local and demo: the dev key in the data folder. Production without OIDC refuses to start.
 */
export async function tokenVerifierConfig(env: NodeJS.ProcessEnv = process.env, check?: ConfigCheck): Promise<TokenVerifierConfig> {
  const problems = check ?? new ConfigCheck();
  const oidc = oidcVerifierConfig(env, problems);
  const configured = env.OIDC_ISSUER !== undefined || env.OIDC_AUDIENCE !== undefined || env.OIDC_JWKS_URL !== undefined;
  if (!configured && env.NODE_ENV === 'production') problems.problem('NODE_ENV=production needs OIDC_ISSUER and OIDC_AUDIENCE (the clinic\'s OpenID Connect provider)');
  if (!check) problems.done();
  if (oidc) return oidc;
  const lifetimes = {
    clockToleranceSeconds: wholeSeconds(env, 'TOKEN_CLOCK_SKEW_SECONDS', DEFAULT_CLOCK_TOLERANCE_SECONDS, new ConfigCheck()),
    maxLifetimeSeconds: wholeSeconds(env, 'TOKEN_MAX_LIFETIME_SECONDS', DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, new ConfigCheck()),
  };
  if (configured || problems.problems.length > 0) return { issuer: 'unconfigured', audience: 'unconfigured', algorithms: [DEV_ALGORITHM], key: async () => Promise.reject(new Error('unconfigured')), ...lifetimes };
  const { publicKey } = await loadOrCreateDevKeys();
  return { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM], key: publicKey, ...lifetimes };
}
