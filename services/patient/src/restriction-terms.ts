import { randomUUID } from 'node:crypto';
import { clinicDayBounds, ROLES, supergraphFieldsOf } from '@clinic/schema';
import { isWellFormedId, parseZonedInstant, strictIsoDay, type SqlEntityManager } from '@clinic/service-kit';
import { AccessRestriction } from './entities.js';

/**
 * What a restriction says (SPEC §6): whom it names (one employee or a whole staff role), which
 * fields of the record, why, and from/to when it applies. The same checks serve the privacy
 * officer's `createAccessRestriction` and a patient's request of kind RESTRICTION, so a request
 * that could not become a restriction is refused when it is filed, not when it is decided.
 */
export interface RestrictionTerms {
  employeeId: string | null;
  role: string | null;
  fields: string[];
  reason: string;
  /** ISO-8601 instants; null: from the decision, until lifted. */
  from: string | null;
  to: string | null;
}

export interface RestrictionTermsInput {
  employeeId?: unknown;
  role?: unknown;
  fields?: unknown;
  reason?: unknown;
  from?: unknown;
  to?: unknown;
}

/** Fields a restriction may name: every field of the patient's record in the supergraph, but its id. */
export function restrictableFields(): string[] {
  return supergraphFieldsOf('Patient')
    .filter((field) => field !== 'id')
    .map((field) => `Patient.${field}`);
}

export const RESTRICTION_REQUESTER = { patient: 'PATIENT', privacyOfficer: 'PRIVACY_OFFICER' } as const;
const MAX_REASON_LENGTH = 1000;

type Problem = { ok: false; problem: string; argument: string };
const problem = (text: string, argument: string): Problem => ({ ok: false, problem: text, argument });

/**
 * A date of the restriction: an instant with its time zone, or a clinic day (YYYY-MM-DD). A `from`
 * day starts at the start of that day; a `to` day includes that whole day.
 */
function instantOf(value: unknown, argument: 'from' | 'to'): Date | null | Problem {
  if (value === null || value === undefined || value === '') return null;
  const hint = `${argument} must be a day (YYYY-MM-DD) or an ISO-8601 instant with a time zone`;
  if (typeof value !== 'string' || value.length > 40) return problem(hint, argument);
  // The clinic's strict parsers: no impossible day (2031-02-30) or offset (+99:99) is shifted into a real one.
  const day = strictIsoDay(value) ? clinicDayBounds(value) : undefined;
  if (day) return argument === 'from' ? day.start : day.end;
  return parseZonedInstant(value) ?? problem(hint, argument);
}

const isProblem = (value: unknown): value is Problem => typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

export function checkedRestrictionTerms(input: RestrictionTermsInput, at: Date): { ok: true; terms: RestrictionTerms } | Problem {
  const employeeId = input.employeeId === null || input.employeeId === undefined || input.employeeId === '' ? null : input.employeeId;
  const role = input.role === null || input.role === undefined || input.role === '' ? null : input.role;
  if ((employeeId === null) === (role === null)) return problem('name exactly one subject: employeeId or role', 'employeeId');
  if (employeeId !== null && !isWellFormedId(employeeId)) return problem('employeeId must be 1 to 64 letters, digits, "-" or "_"', 'employeeId');
  if (role !== null && (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role) || role === 'PATIENT')) return problem('role must be a staff role', 'role');
  if (!Array.isArray(input.fields) || !input.fields.every((f) => typeof f === 'string') || input.fields.length === 0) {
    return problem('fields must name at least one field, e.g. "Patient.diagnoses"', 'fields');
  }
  const allowed = new Set(restrictableFields());
  const unknown = (input.fields as string[]).filter((f) => !allowed.has(f));
  if (unknown.length > 0) {
    return problem(`fields names unknown or unrestrictable fields: ${unknown.slice(0, 5).map((f) => f.slice(0, 60)).join(', ')}; use Type.field names of the patient's record, e.g. "Patient.diagnoses"`, 'fields');
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason) return problem('reason must say why the patient asked for the restriction', 'reason');
  if (reason.length > MAX_REASON_LENGTH) return problem(`reason must be at most ${MAX_REASON_LENGTH} characters`, 'reason');
  const from = instantOf(input.from, 'from');
  if (isProblem(from)) return from;
  const to = instantOf(input.to, 'to');
  if (isProblem(to)) return to;
  if (to && to.getTime() <= (from ?? at).getTime()) return problem(from ? 'to must be after from' : 'to must be in the future', 'to');
  return {
    ok: true,
    terms: { employeeId: employeeId as string | null, role: role as string | null, fields: [...new Set(input.fields as string[])], reason, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null },
  };
}

/** Terms kept with a request (JSON), read back; anything else is not a restriction. */
export function storedTerms(value: unknown): RestrictionTerms | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  if (!Array.isArray(t.fields) || typeof t.reason !== 'string') return undefined;
  return { employeeId: text(t.employeeId), role: text(t.role), fields: t.fields.filter((f): f is string => typeof f === 'string'), reason: t.reason, from: text(t.from), to: text(t.to) };
}

/**
 * Creates the restriction. It applies from `from` (never before `at`, the moment it is made) to
 * `to`; the patient subgraph's access facts match only restrictions inside that window.
 */
export function createRestriction(
  em: SqlEntityManager,
  patientId: string,
  terms: RestrictionTerms,
  asked: { by: string; byId: string | null; at: Date; requestId: string | null },
  at: Date,
): AccessRestriction {
  const from = terms.from ? new Date(terms.from) : at;
  return em.create(AccessRestriction, {
    id: `r-${randomUUID()}`,
    patientId,
    employeeId: terms.employeeId,
    role: terms.role,
    fields: terms.fields,
    reason: terms.reason,
    startsAt: from.getTime() > at.getTime() ? from : at,
    endsAt: terms.to ? new Date(terms.to) : null,
    lifted: false,
    requestedBy: asked.by,
    requestedById: asked.byId,
    requestedAt: asked.at,
    requestId: asked.requestId,
  });
}
