import { Writable } from 'node:stream';
import { SignJWT, exportJWK, generateKeyPair, createLocalJWKSet, type CryptoKey, type JWTPayload } from 'jose';
import { pino } from 'pino';
import { GraphQLError } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PolicyClient } from '../policy/policy-client.js';
import { authenticate } from './authenticate.js';
import { createTokenVerifier, type TokenVerifierConfig } from './token-verifier.js';

const ISSUER = 'https://idp.clinic.example/realms/clinic';
const AUDIENCE = 'clinic-gateway';
const now = () => Math.floor(Date.now() / 1000);

let privateKey: CryptoKey;
let otherKey: CryptoKey;
let config: TokenVerifierConfig;

beforeAll(async () => {
  ({ privateKey } = await generateKeyPair('ES256', { extractable: true }));
  ({ privateKey: otherKey } = await generateKeyPair('ES256'));
  const jwk = { ...(await exportJWK(privateKey)), kid: 'k-1', alg: 'ES256' };
  const { d: _secret, ...publicJwk } = jwk;
  config = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], key: createLocalJWKSet({ keys: [publicJwk] }) };
});

async function token(claims: JWTPayload = {}, options: { key?: CryptoKey; kid?: string } = {}): Promise<string> {
  const iat = now();
  return new SignJWT({ sub: 'e-roy', role: 'RECEPTIONIST', amr: ['pwd'], iss: ISSUER, aud: AUDIENCE, iat, exp: iat + 600, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k-1' })
    .sign(options.key ?? privateKey);
}

describe('token verification: verified tokens answered from memory', () => {
  /** The config's keys, counting how often a signature needed one. */
  const counted = () => {
    const keys = { asked: 0 };
    const local = config.key as (header: never, token: never) => Promise<CryptoKey>;
    return { keys, config: { ...config, clockToleranceSeconds: 0, key: (header: never, token: never) => ((keys.asked += 1), local(header, token)) } as TokenVerifierConfig };
  };

  it('checks a token\'s signature once, and answers it again from memory (its own copy of the viewer)', async () => {
    const { keys, config: c } = counted();
    const verify = createTokenVerifier(c);
    const t = await token();
    const first = await verify(`Bearer ${t}`);
    const again = await verify(`Bearer ${t}`);
    expect(again).toEqual(first);
    expect(keys.asked).toBe(1);
    if (first.ok) first.viewer.role = 'PHYSICIAN';
    expect(await verify(`Bearer ${t}`)).toMatchObject({ ok: true, viewer: { role: 'RECEPTIONIST' } });
    // Another token, even of the same caller, is checked on its own.
    await verify(`Bearer ${await token({ jti: 'other' })}`);
    expect(keys.asked).toBe(2);
  });

  it('never past its exp: a remembered token is refused once it expires', async () => {
    const { config: c } = counted();
    const verify = createTokenVerifier(c);
    const t = await token({ exp: now() + 1 });
    expect(await verify(`Bearer ${t}`)).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await verify(`Bearer ${t}`)).toMatchObject({ ok: false, problem: 'EXPIRED', reason: 'EXPIRED' });
  });

  it('remembers no refusal: a token refused stays refused, and a wrong signature is checked every time', async () => {
    const { keys, config: c } = counted();
    const verify = createTokenVerifier(c);
    const forged = await token({}, { key: otherKey });
    expect(await verify(`Bearer ${forged}`)).toMatchObject({ ok: false, reason: 'SIGNATURE' });
    expect(await verify(`Bearer ${forged}`)).toMatchObject({ ok: false, reason: 'SIGNATURE' });
    expect(keys.asked).toBe(2);
  });
});

describe('token verification: iat, nbf and lifetime', () => {
  it('accepts a fresh token', async () => {
    expect(await createTokenVerifier(config)(`Bearer ${await token()}`)).toEqual({ ok: true, viewer: { id: 'e-roy', role: 'RECEPTIONIST', mfa: false } });
  });

  it('refuses an iat or nbf in the future beyond the clock skew, and accepts one within it', async () => {
    const verify = createTokenVerifier({ ...config, clockToleranceSeconds: 30 });
    expect(await verify(`Bearer ${await token({ iat: now() + 120, exp: now() + 3600 })}`)).toMatchObject({ ok: false, problem: 'INVALID', reason: 'ISSUED_IN_FUTURE' });
    expect(await verify(`Bearer ${await token({ nbf: now() + 120 })}`)).toMatchObject({ ok: false, problem: 'INVALID', reason: 'NOT_YET_VALID' });
    expect(await verify(`Bearer ${await token({ iat: now() + 20, nbf: now() + 20 })}`)).toMatchObject({ ok: true });
    // A tighter skew refuses the same token.
    expect(await createTokenVerifier({ ...config, clockToleranceSeconds: 5 })(`Bearer ${await token({ iat: now() + 20 })}`)).toMatchObject({ ok: false, reason: 'ISSUED_IN_FUTURE' });
  });

  it('refuses a token older than the maximum lifetime (12 h by default) whatever its exp', async () => {
    const verify = createTokenVerifier(config);
    const oneYear = 365 * 86400;
    expect(await verify(`Bearer ${await token({ iat: now() - 13 * 3600, exp: now() + oneYear })}`)).toMatchObject({ ok: false, problem: 'EXPIRED', reason: 'TOO_OLD' });
    expect(await verify(`Bearer ${await token({ iat: now() - 11 * 3600, exp: now() + oneYear })}`)).toMatchObject({ ok: true });
    const short = createTokenVerifier({ ...config, maxLifetimeSeconds: 3600 });
    expect(await short(`Bearer ${await token({ iat: now() - 2 * 3600, exp: now() + 600 })}`)).toMatchObject({ ok: false, reason: 'TOO_OLD' });
  });

  it('requires iat and exp', async () => {
    const verify = createTokenVerifier(config);
    expect(await verify(`Bearer ${await token({ iat: undefined })}`)).toMatchObject({ ok: false, reason: 'MISSING_CLAIM' });
    expect(await verify(`Bearer ${await token({ exp: undefined })}`)).toMatchObject({ ok: false, reason: 'MISSING_CLAIM' });
  });
});

describe('token refusals say why', () => {
  it('names the issuer, audience, expiry, unknown key, signature and algorithm problems', async () => {
    const verify = createTokenVerifier(config);
    expect(await verify(`Bearer ${await token({ iss: 'https://evil.example' })}`)).toMatchObject({ reason: 'ISSUER', details: { tokenIssuer: 'https://evil.example', expectedIssuer: ISSUER } });
    expect(await verify(`Bearer ${await token({ aud: 'another-api' })}`)).toMatchObject({ reason: 'AUDIENCE', details: { tokenAudience: 'another-api', expectedAudience: AUDIENCE } });
    expect(await verify(`Bearer ${await token({ iat: now() - 7200, exp: now() - 3600 })}`)).toMatchObject({ problem: 'EXPIRED', reason: 'EXPIRED' });
    expect(await verify(`Bearer ${await token({}, { kid: 'rotated-away' })}`)).toMatchObject({ reason: 'UNKNOWN_KEY', details: { kid: 'rotated-away' } });
    expect(await verify(`Bearer ${await token({}, { key: otherKey })}`)).toMatchObject({ reason: 'SIGNATURE' });
    const rs = await generateKeyPair('RS256');
    const rsToken = await new SignJWT({ sub: 'e-roy', role: 'RECEPTIONIST', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 }).setProtectedHeader({ alg: 'RS256', kid: 'k-1' }).sign(rs.privateKey);
    expect(await verify(`Bearer ${rsToken}`)).toMatchObject({ reason: 'ALGORITHM', details: { alg: 'RS256' } });
    expect(await verify('Bearer x.y.z')).toMatchObject({ reason: 'MALFORMED' });
    expect(await verify(undefined)).toMatchObject({ problem: 'MISSING', reason: 'MISSING' });
  });

  it('logs the reason of a refused token, never the token or its subject, and answers 401 with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(chunk.toString()); done(); } }));
    const policy = { employeeStatus: async () => ({ exists: true, active: true, role: 'RECEPTIONIST' }) } as unknown as PolicyClient;
    const verify = createTokenVerifier(config);
    const bad = await token({ aud: 'another-api', sub: 'e-secret-subject' });
    const error = await authenticate(`Bearer ${bad}`, { verify, policy, logger, requestId: 'req-12345678' }, new Date()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GraphQLError);
    const extensions = (error as GraphQLError).extensions as { code: string; http: { status: number; headers: Map<string, string> } };
    expect(extensions.code).toBe('UNAUTHENTICATED');
    expect(extensions.http.status).toBe(401);
    expect(extensions.http.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(logged).toMatchObject({ msg: 'token refused', reason: 'AUDIENCE', requestId: 'req-12345678', tokenAudience: 'another-api', expectedAudience: AUDIENCE });
    expect(lines[0]).not.toContain(bad.split('.')[1]);
    expect(lines[0]).not.toContain(bad.split('.')[2]);
    expect(lines[0]).not.toContain('e-secret-subject');
  });

  it('asks for a token without an error code when none was sent (RFC 6750 §3)', async () => {
    const policy = {} as PolicyClient;
    const error = (await authenticate(undefined, { verify: createTokenVerifier(config), policy }, new Date()).catch((err: unknown) => err)) as GraphQLError;
    expect((error.extensions.http as { headers: Map<string, string> }).headers.get('www-authenticate')).toBe('Bearer realm="clinic"');
  });
});
