import { expect } from 'vitest';
import type { ClinicSystem, GraphQLResponse } from './clinic-system.js';

export type Expectation = 'allow' | 'UNAUTHENTICATED' | 'ROLE' | 'NO_DUTY' | 'RESTRICTED' | 'MFA_REQUIRED';

/** Sub-selections for object and list fields, so any field can be asked for alone. */
const SELECTION: Record<string, string> = {
  medications: '{ name }',
  diagnoses: '{ code }',
  vitals: '{ kind }',
  documents: '{ id }',
  clinicalNotes: '{ id }',
  appointments: '{ id }',
  careTeam: '{ kind }',
  accessRestrictions: '{ id }',
  communicationConsent: '{ newsletter }',
  invoices: '{ id }',
  payments: '{ method }',
  patient: '{ id }',
  practitioner: '{ id }',
};
export const select = (field: string) => `${field} ${SELECTION[field] ?? ''}`;

const valueAt = (data: unknown, path: (string | number)[]) =>
  path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | null | undefined)?.[key], data);
const samePath = (a: readonly (string | number)[] | undefined, b: readonly (string | number)[]) => JSON.stringify(a) === JSON.stringify(b);

/** Checks one field of a response: served (no error at its path) or refused with FORBIDDEN and this reason. */
export function expectDecision(res: GraphQLResponse<unknown>, path: (string | number)[], expected: Expectation): void {
  const context = JSON.stringify(res);
  const errorsAtPath = (res.errors ?? []).filter((e) => samePath(e.path, path));
  if (expected === 'allow') {
    expect(errorsAtPath, context).toEqual([]);
    expect(res.errors ?? [], context).toEqual([]);
    expect(valueAt(res.data, path), context).not.toBeNull();
    expect(valueAt(res.data, path), context).not.toBeUndefined();
  } else {
    expect(valueAt(res.data, path) ?? null, context).toBeNull();
    expect(errorsAtPath.map((e) => ({ code: e.extensions?.code, reason: e.extensions?.reason })), context).toEqual([{ code: 'FORBIDDEN', reason: expected }]);
  }
}

export interface FieldCase {
  who: string;
  mfa?: boolean;
  /** Patient or employee id. */
  of: string;
  field: string;
  expected: Expectation;
  /** A refusal of the whole query field (`patient`, `employee`) rather than of the one field. */
  refusedAt?: 'query';
}

export const describeCase = (c: FieldCase) => `${c.who}${c.mfa ? ' (MFA)' : ''} reading ${c.field} of ${c.of}: ${c.expected}`;

export async function checkPatientField(system: ClinicSystem, c: FieldCase): Promise<void> {
  const res = await system.query(`{ patient(id: "${c.of}") { ${select(c.field)} } }`, undefined, { as: c.who, mfa: c.mfa ?? false });
  expectDecision(res, c.refusedAt ? ['patient'] : ['patient', c.field], c.expected);
}

export async function checkEmployeeField(system: ClinicSystem, c: FieldCase): Promise<void> {
  const res = await system.query(`{ employee(id: "${c.of}") { ${select(c.field)} } }`, undefined, { as: c.who, mfa: c.mfa ?? false });
  expectDecision(res, c.refusedAt ? ['employee'] : ['employee', c.field], c.expected);
}
