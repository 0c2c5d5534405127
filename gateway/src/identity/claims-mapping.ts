import { ROLES, type Role } from '@clinic/schema';
import { isWellFormedId } from '@clinic/service-kit';
import type { Viewer } from './viewer.js';

/**
 * How a provider's token says who the caller is. Providers differ: Keycloak puts roles in
 * `realm_access.roles`, others in `groups`; subjects may be UUIDs with the clinic id in another
 * claim; two-factor authentication shows in `amr` or in `acr`.
 */
export interface ClaimsMapping {
  /** Dotted path of the claim holding the role (a string or a list of strings). */
  roleClaim: string;
  /** Provider role name → clinic role. Empty: the claim holds the clinic's role names as they are. */
  roleNames: Record<string, Role>;
  /** Dotted path of the claim holding the employee or patient id. */
  idClaim: string;
  /** Provider subject → clinic id, for providers whose tokens carry no clinic id at all. */
  ids?: Record<string, string>;
  /** Where two-factor authentication shows, and which values mean it. */
  mfa: { claim: 'amr' | 'acr'; values: string[] };
}

/** The clinic's own tokens (and the dev tokens): top-level `role`, `sub`, `amr` containing "mfa". */
export const DEFAULT_CLAIMS_MAPPING: ClaimsMapping = {
  roleClaim: 'role',
  roleNames: {},
  idClaim: 'sub',
  mfa: { claim: 'amr', values: ['mfa'] },
};

export type ClaimsProblem = 'NO_ROLE' | 'AMBIGUOUS_ROLE' | 'NO_ID';

/** The value at a dotted path (`realm_access.roles`); a key holding a dot itself may be written whole. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function clinicRole(name: string, mapping: ClaimsMapping): Role | undefined {
  if (Object.keys(mapping.roleNames).length > 0) return Object.hasOwn(mapping.roleNames, name) ? mapping.roleNames[name] : undefined;
  // Keycloak groups come as paths ("/PHYSICIAN"); the clinic's role names are upper case.
  const bare = name.replace(/^\//, '');
  return (ROLES as readonly string[]).includes(bare) ? (bare as Role) : undefined;
}

/**
 * The viewer a verified token names, or why it names none. A token that maps to two different
 * clinic roles is refused: the gateway never guesses which one the caller acts in.
 */
export function viewerFromClaims(claims: Record<string, unknown>, mapping: ClaimsMapping): { viewer: Viewer } | { problem: ClaimsProblem } {
  const roles = new Set(stringsOf(claimAt(claims, mapping.roleClaim)).map((name) => clinicRole(name, mapping)).filter((r): r is Role => r !== undefined));
  if (roles.size === 0) return { problem: 'NO_ROLE' };
  if (roles.size > 1) return { problem: 'AMBIGUOUS_ROLE' };
  const raw = claimAt(claims, mapping.idClaim);
  const id = mapping.ids && typeof raw === 'string' ? (Object.hasOwn(mapping.ids, raw) ? mapping.ids[raw] : undefined) : raw;
  if (!isWellFormedId(id)) return { problem: 'NO_ID' };
  const shown = stringsOf(claimAt(claims, mapping.mfa.claim));
  const mfa = shown.some((v) => mapping.mfa.values.includes(v));
  return { viewer: { id, role: [...roles][0] as Role, mfa } };
}
