import { SignJWT, exportJWK, generateKeyPair, importJWK, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@clinic/schema';
import { clinicDayOf } from '@clinic/schema';
import { DEFAULT_EMPLOYMENT_RECHECK_MS, DEV_AUDIENCE, DEV_ISSUER } from '@clinic/gateway';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

const ME = '{ me { id role mfa employee { lastName } patient { lastName } } }';

describe.each(testBackends())('identity on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const expectRefused = async (authorization: string | undefined, headers: Record<string, string> = {}) => {
    const res = await system.query(ME, undefined, { ...(authorization ? { authorization } : {}), headers });
    expect(res.status).toBe(401);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    return res;
  };

  it('answers who the verified caller is, with their own record', async () => {
    const staff = await system.query(ME, undefined, { as: 'dr.tremblay', mfa: true });
    expect(staff.data).toEqual({ me: { id: 'e-tremblay', role: 'PHYSICIAN', mfa: true, employee: { lastName: 'Tremblay' }, patient: null } });
    const patient = await system.query(ME, undefined, { as: 'patient.caron' });
    expect(patient.data).toEqual({ me: { id: 'p-caron', role: 'PATIENT', mfa: false, employee: null, patient: { lastName: 'Caron' } } });
  });

  it('refuses a request without a token, with no data', async () => {
    const res = await expectRefused(undefined);
    expect(res.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
  });

  it('refuses malformed Authorization headers', async () => {
    for (const header of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', `Bearer ${'a'.repeat(9000)}.b.c`]) await expectRefused(header);
  });

  it('refuses an expired token', async () => {
    const old = await system.token('dr.tremblay', { now: new Date(Date.now() - 3 * 3600_000), expiresIn: '1h' });
    const res = await expectRefused(`Bearer ${old}`);
    expect(res.errors?.[0]?.message).toMatch(/expired/);
  });

  it('refuses a token signed by another key, or for another issuer or audience', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: 'PHYSICIAN', amr: ['mfa'] })
      .setProtectedHeader({ alg: 'ES256' }).setSubject('e-tremblay').setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setIssuedAt().setExpirationTime('1h')
      .sign(privateKey);
    await expectRefused(`Bearer ${forged}`);
    for (const [issuer, audience] of [['https://evil.example', DEV_AUDIENCE], [DEV_ISSUER, 'another-api']] as const) {
      const token = await new SignJWT({ role: 'PHYSICIAN' })
        .setProtectedHeader({ alg: 'ES256' }).setSubject('e-tremblay').setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('1h')
        .sign(system.keys.privateKey);
      await expectRefused(`Bearer ${token}`);
    }
  });

  it('refuses alg "none" and HS256 signed with the public key (algorithm confusion)', async () => {
    const payload = { sub: 'e-tremblay', role: 'PHYSICIAN', amr: ['mfa'], iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 };
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(payload))}.`;
    await expectRefused(`Bearer ${unsigned}`);
    const publicJwk = await exportJWK(system.keys.publicKey);
    const hmacKey = await importJWK({ kty: 'oct', k: base64url.encode(JSON.stringify(publicJwk)) }, 'HS256');
    const confused = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(hmacKey);
    await expectRefused(`Bearer ${confused}`);
  });

  it('refuses a token whose payload was swapped after signing', async () => {
    const real = await system.token('reception.roy');
    const [header, , signature] = real.split('.');
    const payload = base64url.encode(JSON.stringify({ sub: 'e-tremblay', role: 'PHYSICIAN', amr: ['mfa'], iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: 1, exp: 4102444800 }));
    await expectRefused(`Bearer ${header}.${payload}.${signature}`);
  });

  it('refuses the token of an employee whose employment ended', async () => {
    await expectRefused(`Bearer ${await system.token('nurse.leblanc', { mfa: true })}`);
    await expectRefused(`Bearer ${await system.token('nurse.dufour')}`);
  });

  it('refuses the token of an employee once a termination written to the employee database is older than the recheck interval', async () => {
    const employees = system.subgraphs.employee.db.fork().getConnection();
    const setTermination = (day: string | null) => employees.execute('update employee set termination_date = ? where id = ?', [day, 'e-gagnon']);
    const pastTheRecheck = () => new Promise((resolve) => setTimeout(resolve, DEFAULT_EMPLOYMENT_RECHECK_MS + 100));
    expect((await system.query(ME, undefined, { as: 'nurse.gagnon' })).data?.me).toMatchObject({ id: 'e-gagnon' });
    await setTermination(clinicDayOf(new Date()));
    try {
      await pastTheRecheck();
      await expectRefused(`Bearer ${await system.token('nurse.gagnon')}`);
    } finally {
      await setTermination(null);
    }
    await pastTheRecheck();
    expect((await system.query(ME, undefined, { as: 'nurse.gagnon' })).data?.me).toMatchObject({ id: 'e-gagnon' });
  });

  it('refuses a staff token whose role is not the employee\'s role', async () => {
    const token = await new SignJWT({ role: 'HR', amr: ['mfa'] })
      .setProtectedHeader({ alg: 'ES256' }).setSubject('e-roy').setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setIssuedAt().setExpirationTime('1h')
      .sign(system.keys.privateKey);
    await expectRefused(`Bearer ${token}`);
  });

  /** A dev-key token with these claims; iat now and exp in an hour unless given. */
  const signed = (claims: Record<string, unknown>) => {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ amr: ['pwd', 'mfa'], iat, exp: iat + 3600, ...claims })
      .setProtectedHeader({ alg: 'ES256' }).setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE)
      .sign(system.keys.privateKey);
  };

  it('refuses a token whose sub is not a record of the kind its role implies, for every role', async () => {
    const staffRoles = ROLES.filter((r): r is Exclude<Role, 'PATIENT'> => r !== 'PATIENT');
    // A patient id under every staff role; an employee (active, left, retired) or an unknown id as PATIENT.
    for (const role of staffRoles) await expectRefused(`Bearer ${await signed({ sub: 'p-caron', role })}`);
    for (const sub of ['e-leblanc', 'e-roy', 'e-dufour', 'p-nobody']) await expectRefused(`Bearer ${await signed({ sub, role: 'PATIENT' })}`);
    // Each active employee under every role but their own.
    const own: Record<string, Role> = { 'e-tremblay': 'PHYSICIAN', 'e-gagnon': 'NURSE', 'e-pelletier': 'CONSULTANT', 'e-roy': 'RECEPTIONIST', 'e-cote': 'BILLING_AGENT', 'e-morin': 'ACCOUNTANT', 'e-lavoie': 'HR', 'e-girard': 'MANAGER', 'e-fortin': 'PRIVACY_OFFICER' };
    for (const [sub, role] of Object.entries(own)) {
      for (const other of staffRoles.filter((r) => r !== role)) await expectRefused(`Bearer ${await signed({ sub, role: other })}`);
      const res = await system.query(ME, undefined, { authorization: `Bearer ${await signed({ sub, role })}` });
      expect(res.data?.me).toMatchObject({ id: sub, role });
    }
    const patient = await system.query(ME, undefined, { authorization: `Bearer ${await signed({ sub: 'p-dion', role: 'PATIENT' })}` });
    expect(patient.data?.me).toMatchObject({ id: 'p-dion', role: 'PATIENT' });
  });

  it('refuses a token issued or valid only in the future, and one older than the maximum lifetime whatever its exp', async () => {
    const at = Math.floor(Date.now() / 1000);
    await expectRefused(`Bearer ${await signed({ sub: 'e-roy', role: 'RECEPTIONIST', iat: at + 600, exp: at + 3600 })}`);
    await expectRefused(`Bearer ${await signed({ sub: 'e-roy', role: 'RECEPTIONIST', nbf: at + 600 })}`);
    await expectRefused(`Bearer ${await signed({ sub: 'e-roy', role: 'RECEPTIONIST', iat: at - 13 * 3600, exp: at + 30 * 86400 })}`);
    const res = await system.query(ME, undefined, { authorization: `Bearer ${await signed({ sub: 'e-roy', role: 'RECEPTIONIST', iat: at - 11 * 3600, exp: at + 30 * 86400 })}` });
    expect(res.data?.me).toMatchObject({ id: 'e-roy' });
  });

  it('answers a refused token with WWW-Authenticate: Bearer error="invalid_token" (RFC 6750)', async () => {
    const post = (authorization?: string) =>
      fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ query: ME }) });
    for (const authorization of ['Bearer not-a-jwt', `Bearer ${await signed({ sub: 'e-leblanc', role: 'PATIENT' })}`, `Bearer ${await system.token('nurse.leblanc')}`]) {
      const res = await post(authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });

  it('takes no identity or role from any other header', async () => {
    const spoof = { 'x-user-id': 'e-lavoie', 'x-role': 'HR', 'x-viewer-id': 'e-lavoie', 'x-forwarded-user': 'hr.lavoie' };
    await expectRefused(undefined, spoof);
    const res = await system.query('{ me { id role } employee(id: "e-tremblay") { salary } }', undefined, { as: 'reception.roy', headers: spoof });
    expect(res.data?.me).toEqual({ id: 'e-roy', role: 'RECEPTIONIST' });
    expect(res.data?.employee).toEqual({ salary: null });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE' });
  });
});
