import { isWellFormedId, strictIsoDateOrInstant } from '@clinic/service-kit';
import type { AuditFilters } from '../audit-store/audit-log.js';

/** A filter the caller got wrong: which one and what is expected (never the value itself). */
export class AuditFilterProblem extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export const DECISIONS = ['ALLOW', 'DENY'] as const;
/** The reasons a refusal is recorded with (SPEC §5). */
export const DENIAL_REASONS = ['UNAUTHENTICATED', 'ROLE', 'NO_DUTY', 'RESTRICTED', 'MFA_REQUIRED'] as const;
const COORDINATE = /^[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The filters as the caller gives them (GraphQL arguments or query-string parameters): text or absent. */
export type RawAuditFilters = Partial<Record<'patientId' | 'actorId' | 'from' | 'to' | 'decision' | 'reason' | 'field', unknown>>;

/**
 * Validates a search of the audit log. `knownField` says whether a field coordinate is one the
 * rules know (a typo would otherwise silently find nothing). Throws AuditFilterProblem.
 */
export function checkedAuditFilters(raw: RawAuditFilters, knownField: (coordinate: string) => boolean): AuditFilters {
  const given = (name: keyof RawAuditFilters) => (raw[name] === undefined || raw[name] === null || raw[name] === '' ? undefined : raw[name]);
  const filters: AuditFilters = {};
  for (const name of ['patientId', 'actorId'] as const) {
    const value = given(name);
    if (value === undefined) continue;
    if (!isWellFormedId(value)) throw new AuditFilterProblem(`${name} must be 1 to 64 letters, digits, "-" or "_"`, name);
    filters[name] = value;
  }
  for (const name of ['from', 'to'] as const) {
    const value = given(name);
    if (value === undefined) continue;
    const instant = strictIsoDateOrInstant(value);
    if (!instant) throw new AuditFilterProblem(`${name} must be an ISO-8601 date (YYYY-MM-DD) or instant with a real UTC offset`, name);
    filters[name] = instant;
  }
  if (filters.from && filters.to && filters.from.getTime() >= filters.to.getTime()) throw new AuditFilterProblem('from must be before to', 'from');
  const decision = given('decision');
  if (decision !== undefined) {
    if (!(DECISIONS as readonly unknown[]).includes(decision)) throw new AuditFilterProblem(`decision must be one of ${DECISIONS.join(', ')}`, 'decision');
    filters.decision = decision as AuditFilters['decision'];
  }
  const reason = given('reason');
  if (reason !== undefined) {
    if (!(DENIAL_REASONS as readonly unknown[]).includes(reason)) throw new AuditFilterProblem(`reason must be one of ${DENIAL_REASONS.join(', ')}`, 'reason');
    if (filters.decision === 'ALLOW') throw new AuditFilterProblem('reason applies to DENY events only', 'reason');
    filters.reason = reason as string;
  }
  const field = given('field');
  if (field !== undefined) {
    if (typeof field !== 'string' || !COORDINATE.test(field)) throw new AuditFilterProblem('field must be a field coordinate such as Patient.phone', 'field');
    if (!knownField(field)) throw new AuditFilterProblem('field names no field the rules know (see docs/access-matrix.md)', 'field');
    filters.field = field;
  }
  return filters;
}

/** The filters as recorded in the audit event of a search or export: canonical JSON, absent filters left out. */
export function recordedFilters(kind: 'search' | 'export', filters: AuditFilters, extra: Record<string, string | number | boolean> = {}): string {
  const shown: Record<string, string | number | boolean> = { kind };
  for (const name of ['patientId', 'actorId', 'from', 'to', 'decision', 'reason', 'field'] as const) {
    const value = filters[name];
    if (value !== undefined) shown[name] = value instanceof Date ? value.toISOString() : value;
  }
  return JSON.stringify({ ...shown, ...extra });
}

/** What a cursor is bound to: the listing, the reader and the filters (a cursor of another search is refused). */
export const cursorScope = (viewerId: string, filters: AuditFilters) => `auditLog|${viewerId}|${recordedFilters('search', filters)}`;
