import { describe, expect, it } from 'vitest';
import { auditedUnder, dutyThrough, isAuthenticated, mayReadPatient, notRestrictedFor, theParentPatient, type AccessTable, type Check, type RowInput } from './checks.js';
import { compilePolicy } from './compiled-policy.js';
import { decide, type Decision } from './decide.js';
import type { PatientAccessFacts, PolicyClient } from './policy-client.js';
import { RECORD_KEY } from './record-keys.js';
import { RequestPolicy } from './request-policy.js';

const onDuty = dutyThrough('onDuty', 'with a duty', ['CARE_ASSIGNMENT']);
const table = { NURSE: { CONTACT: onDuty } } as unknown as AccessTable<'CONTACT'>;
/** A check whose row step keeps what it was given, to see what it holds afterwards. */
const seen: RowInput[] = [];
const keepsItsInput: Check = { name: 'keepsItsInput', compile: () => ({ kind: 'row', condition: 'kept', target: theParentPatient, factsFree: true, test: (input) => (seen.push(input), { allow: true, because: 'kept' }) }) };
const compiled = compilePolicy(
  { Patient: { phone: [isAuthenticated, mayReadPatient(table, 'CONTACT', theParentPatient), notRestrictedFor('Patient.phone', theParentPatient), keepsItsInput, auditedUnder(theParentPatient)] } },
  {},
);
const facts = (patientId: string, duty: boolean): PatientAccessFacts => ({ patientId, exists: true, duties: duty ? [{ kind: 'CARE_ASSIGNMENT', detail: 'open care assignment' }] : [], restrictions: [] });
const policy = new RequestPolicy(compiled, { id: 'e-nurse', role: 'NURSE', mfa: false }, new Date(), {} as PolicyClient, async () => [], [facts('p-1', true), facts('p-2', false)]);
const plan = compiled.plan('NURSE', false, 'Patient.phone');
const row = (id: string) => ({ id, [RECORD_KEY]: id });

describe('a decision made at once', () => {
  it('is written into the object the caller gives, else into a new one', () => {
    const into: Decision = { verdict: { allow: false, reason: 'ROLE', because: 'before' }, patientId: undefined };
    const first = decide(plan, row('p-1'), {}, policy, into);
    expect(first).toBe(into);
    expect(into).toEqual({ verdict: { allow: true, because: 'every check of the rule passed' }, patientId: 'p-1' });
    const second = decide(plan, row('p-2'), {}, policy, into);
    expect(second).toBe(into);
    expect(into.patientId).toBe('p-2');
    expect(into.verdict).toMatchObject({ allow: false, reason: 'NO_DUTY' });
    const fresh = decide(plan, row('p-1'), {}, policy);
    expect(fresh).not.toBe(into);
    expect(fresh).toEqual({ verdict: { allow: true, because: 'every check of the rule passed' }, patientId: 'p-1' });
  });

  it("gives each row's steps that row's facts, and keeps no row once they have run", () => {
    seen.length = 0;
    const parent = row('p-1');
    decide(plan, parent, { a: 1 }, policy);
    expect(seen).toHaveLength(1);
    const input = seen[0] as RowInput;
    // The steps share one input object: nothing of the row (record, arguments, facts) stays in it.
    expect(input.parent).toBeUndefined();
    expect(input.facts).toBeUndefined();
    expect(input.args).toEqual({});
    expect(input.patientId).toBe('p-1');
  });
});
