import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@clinic/schema';
import type { OpenEmergencyAccess, RowInput } from './policy/checks.js';
import { LOOK_UP, NEEDS_EMERGENCY_ACCESSES, type TargetScope } from './policy/checks.js';
import { CLINIC_POLICY } from './policy/clinic-policy.js';
import { runRowSteps, type FieldPlan } from './policy/compiled-policy.js';
import type { DutyKind, PatientAccessFacts } from './policy/policy-client.js';
import { EMPLOYMENT_ENDS_KEY, OWNER_KEY, RECORD_KEY } from './policy/record-keys.js';
import type { Verdict } from './policy/verdict.js';
import { servedSchema } from './testing/served-schema.js';
import { COPIES_OF, EMPLOYEE_FIELD_CATEGORY, MUTATIONS_ABOUT_NO_ONE_PATIENT, PATIENT_FIELD_CATEGORY } from './permissions.js';

const TODAY = '2026-12-01';

// The decisions of the compiled rules file, every cell of SPEC §5 and §6, in memory: the facts a
// request would load (duties, restrictions, emergency accesses) are given here directly.

/** SPEC §5, the patients column, as the specification writes it (not as permissions.ts does). */
const SPEC_PATIENT_TABLE: Record<Role, Partial<Record<string, 'all' | 'duty' | 'referral' | 'own' | 'idOnly'>>> = {
  PHYSICIAN: { IDENTITY: 'all', CONTACT: 'duty', INSURANCE: 'duty', SCHEDULE: 'duty', CARE_TEAM: 'duty', CLINICAL: 'duty', NOTES: 'duty' },
  NURSE: { IDENTITY: 'all', CONTACT: 'duty', SCHEDULE: 'duty', CARE_TEAM: 'duty', CLINICAL: 'duty', NOTES: 'duty' },
  CONSULTANT: { IDENTITY: 'referral', CLINICAL: 'referral', NOTES: 'referral' },
  RECEPTIONIST: { IDENTITY: 'all', CONTACT: 'all', INSURANCE: 'all', SCHEDULE: 'all', CARE_TEAM: 'all' },
  BILLING_AGENT: { IDENTITY: 'all', INSURANCE: 'all', BILLING: 'all' },
  ACCOUNTANT: { IDENTITY: 'idOnly', BILLING: 'all' },
  HR: {},
  MANAGER: {},
  PRIVACY_OFFICER: { IDENTITY: 'all', PRIVACY: 'all' },
  PATIENT: Object.fromEntries(['IDENTITY', 'CONTACT', 'INSURANCE', 'SCHEDULE', 'CARE_TEAM', 'CLINICAL', 'NOTES', 'BILLING', 'PRIVACY'].map((c) => [c, 'own'])),
};
/** SPEC §5, the employees column. */
const SPEC_EMPLOYEE_TABLE: Record<Role, string[]> = {
  PHYSICIAN: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  NURSE: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  CONSULTANT: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  RECEPTIONIST: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  BILLING_AGENT: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  ACCOUNTANT: ['STAFF_DIRECTORY', 'STAFF_CONTACT', 'STAFF_EMPLOYMENT', 'STAFF_SIN', 'STAFF_PAY'],
  HR: ['STAFF_DIRECTORY', 'STAFF_CONTACT', 'STAFF_PERSONAL', 'STAFF_EMPLOYMENT', 'STAFF_SIN', 'STAFF_PAY'],
  MANAGER: ['STAFF_DIRECTORY', 'STAFF_CONTACT', 'STAFF_EMPLOYMENT'],
  PRIVACY_OFFICER: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  PATIENT: ['STAFF_DIRECTORY'],
};
const MFA_CATEGORIES = new Set(['NOTES', 'STAFF_SIN', 'STAFF_PAY']);
const EMERGENCY_LIFTS = new Set(['CLINICAL', 'CONTACT']);

const PATIENT = 'p-one';
const READER: Record<Role, string> = Object.fromEntries(ROLES.map((r) => [r, r === 'PATIENT' ? PATIENT : `e-${r.toLowerCase()}`])) as Record<Role, string>;

interface Situation {
  duty?: DutyKind;
  restrictedFields?: string[];
  emergency?: boolean;
  mfa?: boolean;
  /** The patient reads someone else's record. */
  otherPatient?: boolean;
}

const noLookUp = (): never => {
  throw new Error('no look-up expected in memory');
};
const scopeOf = (role: Role): TargetScope => ({
  viewerId: READER[role],
  viewerRole: role,
  appointmentOwner: noLookUp,
  invoiceOwner: noLookUp,
  rectificationOwner: noLookUp,
  restrictionOwner: noLookUp,
  patientExists: async () => true,
});

/** Decides a coordinate of the compiled policy for a role, on a row of patient p-one, with the given facts. */
function decideInMemory(role: Role, coordinate: string, situation: Situation = {}): Verdict {
  const plan: FieldPlan = CLINIC_POLICY.plan(role, situation.mfa ?? false, coordinate);
  const patientId = role === 'PATIENT' && situation.otherPatient ? 'p-two' : PATIENT;
  const parent = { [RECORD_KEY]: coordinate.startsWith('Employee.') ? 'e-someone' : patientId, [OWNER_KEY]: { id: patientId } };
  const target = plan.target ?? plan.audit;
  const found = target ? target.now(parent, {}, scopeOf(role)) : undefined;
  if (found === LOOK_UP) throw new Error(`${coordinate} needs a look-up`);
  if (plan.fixed) return plan.fixed;
  const facts: PatientAccessFacts = {
    patientId,
    exists: true,
    duties: situation.duty ? [{ kind: situation.duty, detail: situation.duty }] : [],
    restrictions: situation.restrictedFields ? [{ id: 'r-1', fields: situation.restrictedFields }] : [],
  };
  const emergency = new Map<string, OpenEmergencyAccess>(situation.emergency ? [[patientId, { id: 'ea-1', patientId, expiresAt: new Date() }]] : []);
  const input: RowInput = { viewerId: READER[role], parent, args: {}, patientId: found, facts, emergency: undefined, today: TODAY };
  const first = runRowSteps(plan, input);
  const verdict = first === NEEDS_EMERGENCY_ACCESSES ? runRowSteps(plan, { ...input, emergency }) : first;
  if (verdict === NEEDS_EMERGENCY_ACCESSES) throw new Error('asked twice');
  return verdict;
}
const outcome = (v: Verdict) => (v.allow ? 'allow' : v.reason);

/** What SPEC §5 and §6 say a role gets for a category in a situation. */
function expected(role: Role, category: string, situation: Situation, coordinate: string): string {
  const grant = SPEC_PATIENT_TABLE[role][category];
  if (!grant) return 'ROLE';
  if (grant === 'idOnly' && !coordinate.endsWith('.id')) return 'ROLE';
  if (grant === 'own' && situation.otherPatient) return 'ROLE';
  const dutyHolds =
    grant === 'duty' ? (situation.duty !== undefined && situation.duty !== 'ACTIVE_REFERRAL') || situation.emergency : grant === 'referral' ? situation.duty === 'ACTIVE_REFERRAL' : true;
  if (!dutyHolds) return 'NO_DUTY';
  const restricted = role !== 'PATIENT' && (situation.restrictedFields?.length ?? 0) > 0 && !(situation.emergency && EMERGENCY_LIFTS.has(category));
  if (restricted) return 'RESTRICTED';
  if (MFA_CATEGORIES.has(category) && !situation.mfa) return 'MFA_REQUIRED';
  return 'allow';
}

const SITUATIONS: Situation[] = [
  {},
  { duty: 'CARE_ASSIGNMENT' },
  { duty: 'APPOINTMENT_TODAY' },
  { duty: 'ACTIVE_REFERRAL' },
  { emergency: true },
  { duty: 'CARE_ASSIGNMENT', mfa: true },
  { duty: 'ACTIVE_REFERRAL', mfa: true },
  { duty: 'CARE_ASSIGNMENT', restrictedFields: ['THE FIELD'] },
  { emergency: true, restrictedFields: ['THE FIELD'] },
  { emergency: true, restrictedFields: ['THE FIELD'], mfa: true },
  { otherPatient: true, mfa: true },
  { mfa: true },
];

describe('the compiled rules file decides every cell of SPEC §5 and §6 (in memory)', () => {
  for (const role of ROLES) {
    it(`for ${role}: every patient field, with and without duty, referral, emergency access, restriction and MFA`, () => {
      for (const [field, category] of Object.entries(PATIENT_FIELD_CATEGORY)) {
        const coordinate = `Patient.${field}`;
        for (const situation of SITUATIONS) {
          const concrete = { ...situation, ...(situation.restrictedFields ? { restrictedFields: [coordinate] } : {}) };
          expect(outcome(decideInMemory(role, coordinate, concrete)), `${role} ${coordinate} ${JSON.stringify(situation)}`).toBe(expected(role, category, concrete, coordinate));
        }
      }
    });

    it(`for ${role}: every employee field of another employee, and of their own record`, () => {
      for (const [field, category] of Object.entries(EMPLOYEE_FIELD_CATEGORY)) {
        for (const mfa of [false, true]) {
          const plan = CLINIC_POLICY.plan(role, mfa, `Employee.${field}`);
          const granted = SPEC_EMPLOYEE_TABLE[role].includes(category);
          const expectedOther = !granted ? 'ROLE' : MFA_CATEGORIES.has(category) && !mfa ? 'MFA_REQUIRED' : 'allow';
          const decideFor = (recordId: string, employmentEnds: string | null = null) => {
            if (plan.fixed) return outcome(plan.fixed);
            const parent = { [RECORD_KEY]: recordId, [EMPLOYMENT_ENDS_KEY]: employmentEnds };
            const v = runRowSteps(plan, { viewerId: READER[role], parent, args: {}, patientId: undefined, facts: undefined, emergency: undefined, today: TODAY });
            return v === NEEDS_EMERGENCY_ACCESSES ? 'needs emergency' : outcome(v);
          };
          expect(decideFor('e-someone-else'), `${role} Employee.${field} mfa=${mfa}`).toBe(expectedOther);
          // Employment ending later than today changes nothing.
          expect(decideFor('e-someone-else', '2026-12-02'), `${role} Employee.${field} mfa=${mfa}, leaving tomorrow`).toBe(expectedOther);
          // Every employee reads all of their own record (MFA still applies); a patient has none.
          if (role !== 'PATIENT') expect(decideFor(READER[role]), `${role} own Employee.${field} mfa=${mfa}`).toBe(MFA_CATEGORIES.has(category) && !mfa ? 'MFA_REQUIRED' : 'allow');
          // Seed 002: a former employee's record (employment ended today or before) is HR's only, with
          // two-factor authentication, but for what names the author of a patient's record (the directory).
          const expectedFormer = category === 'STAFF_DIRECTORY' ? expectedOther : expectedOther !== 'allow' ? expectedOther : role === 'HR' ? (mfa ? 'allow' : 'MFA_REQUIRED') : 'ROLE';
          for (const ended of [TODAY, '2015-06-30']) {
            expect(decideFor('e-someone-else', ended), `${role} Employee.${field} mfa=${mfa} of a former employee (${ended})`).toBe(expectedFormer);
          }
          // Fetched without the employment key: whether they still work here is not guessed.
          if (category !== 'STAFF_DIRECTORY' && expectedOther === 'allow' && !plan.fixed) {
            const v = runRowSteps(plan, { viewerId: READER[role], parent: { [RECORD_KEY]: 'e-someone-else' }, args: {}, patientId: undefined, facts: undefined, emergency: undefined, today: TODAY });
            if (role !== 'HR' || !mfa) expect(v === NEEDS_EMERGENCY_ACCESSES ? 'needs emergency' : outcome(v), `${role} Employee.${field} without the key`).toBe('ROLE');
          }
        }
      }
    });
  }

  it('makes a restriction on a field also refuse every declared copy of its information, on every path', () => {
    const readers: Role[] = ['BILLING_AGENT', 'ACCOUNTANT', 'PHYSICIAN', 'RECEPTIONIST'];
    let checked = 0;
    for (const [copy, sources] of Object.entries(COPIES_OF)) {
      for (const source of sources) {
        for (const role of readers) {
          const open = outcome(decideInMemory(role, copy, { duty: 'CARE_ASSIGNMENT', mfa: true }));
          if (open !== 'allow') continue;
          expect(outcome(decideInMemory(role, copy, { duty: 'CARE_ASSIGNMENT', mfa: true, restrictedFields: [source] })), `${role} ${copy} restricted as ${source}`).toBe('RESTRICTED');
          checked += 1;
        }
      }
    }
    // Invoice.diagnosisCode for the billing agent, Patient.balance for billing agent and accountant.
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('logs every mutation of the supergraph under its patient before it runs, unless the rules file says it changes no one patient record', () => {
    const schema = servedSchema();
    const mutation = schema.getMutationType();
    expect(isObjectType(mutation)).toBe(true);
    const unaudited = Object.keys(mutation?.getFields() ?? {})
      .map((field) => `Mutation.${field}`)
      .filter((coordinate) => !CLINIC_POLICY.plan('PRIVACY_OFFICER', true, coordinate).audit && !(coordinate in MUTATIONS_ABOUT_NO_ONE_PATIENT));
    expect(unaudited).toEqual([]);
    expect(CLINIC_POLICY.plan('PRIVACY_OFFICER', true, 'Mutation.liftAccessRestriction').audit).toBeDefined();
  });
});
