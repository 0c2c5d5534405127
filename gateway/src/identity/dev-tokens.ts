import { SignJWT } from 'jose';
import { loadDemoClinic, type Role } from '@clinic/schema';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, type DevKeyPair } from './dev-keys.js';

export interface DemoUser {
  username: string;
  id: string;
  role: Role;
}

/** Every user of the demo clinic, staff and patients, by username. */
export function demoUsers(): DemoUser[] {
  const clinic = loadDemoClinic();
  return [
    ...clinic.employees.map((e) => ({ username: e.username, id: e.id, role: e.role })),
    ...clinic.patients.map((p) => ({ username: p.username, id: p.id, role: 'PATIENT' as const })),
  ];
}

export function demoUser(username: string): DemoUser | undefined {
  return demoUsers().find((u) => u.username === username);
}

export interface MintOptions {
  mfa?: boolean;
  /** Lifetime, e.g. "1h" (default) or "5m". */
  expiresIn?: string;
  now?: Date;
}

/** A dev token shaped like the clinic's OpenID Connect tokens: `sub`, `role`, `amr`. */
export async function mintDevToken(keys: DevKeyPair, user: { id: string; role: Role }, options: MintOptions = {}): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ role: user.role, amr: options.mfa ? ['pwd', 'mfa'] : ['pwd'] })
    .setProtectedHeader({ alg: DEV_ALGORITHM, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetimeSeconds(options.expiresIn ?? '1h'))
    .sign(keys.privateKey);
}

function lifetimeSeconds(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new Error(`token: lifetime must look like 30s, 15m, 1h or 1d, got "${text}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
