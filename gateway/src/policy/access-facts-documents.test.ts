import { isObjectType, parse, print, specifiedRules, stripIgnoredCharacters, validate, type DocumentNode } from 'graphql';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { describe, expect, it } from 'vitest';
import { readSupergraphSdl, supergraphFieldsOf } from '@clinic/schema';
import { RULES } from '../permissions.js';
import { buildSupergraphSchema } from '../supergraph-schema.js';
import { CLINIC_POLICY } from './clinic-policy.js';
import { compileRule, fieldsWithoutRules } from './compiled-policy.js';
import type { Check } from './checks.js';
import { allow } from './verdict.js';
import { withoutFieldsNeverServed } from './minimal-disclosure.js';
import { withSubgraphPlan } from './subgraph-plan.js';
import { noReservedVariables } from '../validation/no-reserved-variables.js';
import { accessFactsOf, addAccessFacts, addRecordKeys } from './record-keys.js';

// What the gateway sends the patient subgraph after stitching planned the request: the record keys,
// then the viewer's access facts on every patient.
const schema = buildSupergraphSchema({
  supergraphSdl: readSupergraphSdl(),
  subgraphUrls: { patient: 'http://127.0.0.1:1/graphql', employee: 'http://127.0.0.1:1/graphql', billing: 'http://127.0.0.1:1/graphql' },
  subgraphTimeoutMs: 1000,
});
const compact = (query: string) => stripIgnoredCharacters(print(parse(query)));
const compactDoc = (doc: DocumentNode) => stripIgnoredCharacters(print(doc));
const FACTS = '__clinicAccess: _accessFacts';

describe('access facts in patient subgraph requests', () => {
  it("selects the viewer's access facts on every patient, the owner of an appointment included, without arguments or variables", () => {
    const keyed = addRecordKeys(schema, parse('query Q($first: Int) { patients(first: $first) { nodes { lastName appointments { startsAt } } } }'));
    const doc = addAccessFacts(schema, keyed);
    expect(compactDoc(doc)).toBe(
      compact(`query Q($first: Int) { patients(first: $first) { nodes {
        lastName
        appointments { startsAt __clinicRecordId: id id __clinicOwner: patient { id ${FACTS} } }
        __clinicRecordId: id id
        ${FACTS}
      } } }`),
    );
  });

  it("adds the facts inside an _entities request's Patient fragment and a day's schedule", () => {
    const entities = addAccessFacts(schema, parse('query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { phone } } }'));
    expect(compactDoc(entities)).toBe(
      compact('query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { phone __clinicAccess: _accessFacts } } }'),
    );
    const schedule = addAccessFacts(schema, addRecordKeys(schema, parse('{ appointments { startsAt patient { lastName } } }')));
    expect(compactDoc(schedule)).toBe(
      compact(`{ appointments {
        startsAt
        patient { lastName __clinicRecordId: id id ${FACTS} }
        __clinicRecordId: id id
        __clinicOwner: patient { id ${FACTS} }
      } }`),
    );
  });

  it('adds the facts inside a fragment on Patient, and leaves a document with no patient as it is', () => {
    const doc = addAccessFacts(schema, parse('query Q { patient(id: "p-1") { ...Contact } } fragment Contact on Patient { phone }'));
    expect(compactDoc(doc)).toBe(compact(`query Q { patient(id: "p-1") { ...Contact ${FACTS} } } fragment Contact on Patient { phone ${FACTS} }`));
    const noPatient = parse('{ patients { totalCount pageInfo { endCursor } } }');
    expect(addAccessFacts(schema, noPatient)).toBe(noPatient);
  });

  it('adds the facts once, to a document that has them already and to a doubly keyed owner', () => {
    const once = addAccessFacts(schema, parse('{ patient(id: "p-1") { phone } }'));
    expect(addAccessFacts(schema, once)).toBe(once);
    const keyedTwice = addRecordKeys(schema, addRecordKeys(schema, parse('{ appointments { startsAt } }')));
    expect(compactDoc(addAccessFacts(schema, keyedTwice)).match(/__clinicAccess/g)).toHaveLength(1);
  });

  it("asks the facts for a reader whose rules read them, with the client's variables only, and a request without a viewer as it is", async () => {
    const sent: ExecutionRequest[] = [];
    const executor: Executor = async (request) => {
      sent.push(request);
      return { data: null };
    };
    const now = new Date('2026-11-25T14:30:00.000Z');
    const withFacts = withSubgraphPlan(executor, 'patient', () => schema, CLINIC_POLICY);
    const document = parse('query Q($id: ID!) { patient(id: $id) { phone } }');
    const nurse = { id: 'e-gagnon', role: 'NURSE' as const, mfa: false };
    await withFacts({ document, variables: { id: 'p-1' }, context: { request: { viewer: nurse, now }, access: { plans: CLINIC_POLICY.plansFor('NURSE', false) } } });
    expect(compactDoc(sent[0]?.document as DocumentNode)).toBe(compact(`query Q($id: ID!) { patient(id: $id) { phone __clinicRecordId: id id ${FACTS} } }`));
    expect(sent[0]?.variables).toEqual({ id: 'p-1' });
    // The plan is kept: the same document for the same reader is the same object.
    await withFacts({ document, variables: { id: 'p-2' }, context: { request: { viewer: nurse, now }, access: { plans: CLINIC_POLICY.plansFor('NURSE', false) } } });
    expect(sent[1]?.document).toBe(sent[0]?.document);
    await withFacts({ document, variables: { id: 'p-1' }, context: { request: { viewer: undefined, now }, access: { plans: CLINIC_POLICY.plansFor(undefined, false) } } });
    expect(compactDoc(sent[2]?.document as DocumentNode)).toBe(compact('query Q($id: ID!) { patient(id: $id) { phone __clinicRecordId: id id } }'));
    expect(sent[2]?.variables).toEqual({ id: 'p-1' });
    // A patient's rules read no facts (their own record, never restricted for them): none are asked.
    const patient = { id: 'p-caron', role: 'PATIENT' as const, mfa: false };
    await withFacts({ document, variables: { id: 'p-caron' }, context: { request: { viewer: patient, now }, access: { plans: CLINIC_POLICY.plansFor('PATIENT', false) } } });
    expect(compactDoc(sent[3]?.document as DocumentNode)).toBe(compact('query Q($id: ID!) { patient(id: $id) { phone __clinicRecordId: id id } }'));
    expect(sent[3]?.variables).toEqual({ id: 'p-caron' });
  });
});

describe('which readers the rules read policy facts for', () => {
  it('fetches facts for staff whose grants depend on duties or restrictions, and none for a patient, whose rules read only the record id', () => {
    for (const role of ['NURSE', 'PHYSICIAN', 'RECEPTIONIST', 'CONSULTANT'] as const) expect(CLINIC_POLICY.readsPatientFacts(role, false), role).toBe(true);
    expect(CLINIC_POLICY.readsPatientFacts('PATIENT', false)).toBe(false);
    expect(CLINIC_POLICY.readsPatientFacts('PATIENT', true)).toBe(false);
    // A duty grant and a restriction read facts; the patient's own-record grant does not.
    expect(CLINIC_POLICY.plan('NURSE', false, 'Patient.allergies').readsFacts).toBe(true);
    expect(CLINIC_POLICY.plan('RECEPTIONIST', false, 'Patient.phone').readsFacts).toBe(true);
    expect(CLINIC_POLICY.plan('PATIENT', false, 'Patient.allergies')).toMatchObject({ readsFacts: false, target: expect.anything() });
  });

  it('reads facts for a row step that does not declare it needs none (the safe default)', () => {
    const target = { describe: 'the patient', fromArgument: false, now: () => undefined, resolve: async () => undefined };
    const undeclared: Check = { name: 'custom', compile: () => ({ kind: 'row', condition: 'custom', target, test: () => allow('ok') }) };
    const declared: Check = { name: 'idOnly', compile: () => ({ kind: 'row', condition: 'id', target, factsFree: true, test: () => allow('ok') }) };
    const reader = { role: 'NURSE' as const, mfa: false, coordinate: 'Patient.id' };
    expect(compileRule([undeclared], reader).readsFacts).toBe(true);
    expect(compileRule([declared], reader).readsFacts).toBe(false);
    expect(compileRule([declared, undeclared], reader).readsFacts).toBe(true);
  });
});

describe('reading the access facts a patient came with', () => {
  const facts = {
    patientId: 'p-1',
    exists: true,
    duties: [{ kind: 'CARE_ASSIGNMENT', detail: 'open care assignment (ASSIGNED_NURSE)' }],
    restrictions: [{ id: 'r-1', fields: ['Patient.phone'] }],
  };

  it('parses the facts under the access key, and answers undefined for a patient fetched without them', () => {
    expect(accessFactsOf({ __clinicRecordId: 'p-1', __clinicAccess: JSON.stringify(facts) })).toEqual(facts);
    expect(accessFactsOf({ __clinicRecordId: 'p-1', phone: '555' })).toBeUndefined();
    // The usual case travels as an empty text: the record's patient, no duty, no restriction; never without the record id.
    expect(accessFactsOf({ __clinicRecordId: 'p-1', __clinicAccess: '' })).toEqual({ patientId: 'p-1', exists: true, duties: [], restrictions: [] });
    expect(() => accessFactsOf({ __clinicAccess: '' })).toThrow(/record id/);
    expect(accessFactsOf(undefined)).toBeUndefined();
  });

  it('throws on anything but the facts of this patient: null, bad JSON, another shape, another patient', () => {
    const malformed: unknown[] = [
      null,
      42,
      '{not json',
      '[]',
      JSON.stringify({ ...facts, exists: 'yes' }),
      JSON.stringify({ ...facts, duties: [{ kind: 'FRIENDSHIP', detail: 'x' }] }),
      JSON.stringify({ ...facts, restrictions: [{ id: 'r-1', fields: 'Patient.phone' }] }),
      JSON.stringify({ ...facts, patientId: undefined }),
    ];
    for (const value of malformed) expect(() => accessFactsOf({ __clinicAccess: value }), String(value)).toThrow(/access facts/);
    expect(() => accessFactsOf({ __clinicRecordId: 'p-2', __clinicAccess: JSON.stringify(facts) })).toThrow(/another patient/);
  });
});

describe('client variables', () => {
  it('refuses a client variable named with the prefix reserved for the gateway ($_clinic…) and accepts others', () => {
    const errorsOf = (query: string) => validate(schema, parse(query), [...specifiedRules, noReservedVariables]).map((e) => e.message);
    expect(errorsOf('query Q($_clinicAt: String) { patients(search: $_clinicAt) { totalCount } }')).toEqual(['Variable "$_clinicAt" is reserved: variables may not start with "_clinic"']);
    expect(errorsOf('query Q($search: String) { patients(search: $search) { totalCount } }')).toEqual([]);
  });
});

describe('the gateway-only field in the schemas', () => {
  it('is in the supergraph, marked @inaccessible, and neither served by the gateway nor asking for a rule', () => {
    expect(readSupergraphSdl()).toMatch(/_accessFacts: String @inaccessible/);
    const patient = schema.getType('Patient');
    expect(isObjectType(patient) && Object.keys(patient.getFields())).not.toContain('_accessFacts');
    expect(isObjectType(patient) && Object.keys(patient.getFields())).toContain('lastName');
    expect(fieldsWithoutRules(schema, RULES)).toEqual([]);
    // Nor is it a field of the record a restriction could name.
    expect(supergraphFieldsOf('Patient')).not.toContain('_accessFacts');
    expect(supergraphFieldsOf('Patient')).toContain('lastName');
  });

  it('survives minimal disclosure, which has no rule for it, and goes with a field the role can never read', () => {
    const doc = addAccessFacts(schema, addRecordKeys(schema, parse('{ patients { nodes { lastName appointments { startsAt } } } }')));
    // A billing agent never reads schedules: the appointments go, their owner's facts with them; the patient's stay.
    const billing = withoutFieldsNeverServed(doc, schema, CLINIC_POLICY, CLINIC_POLICY.plansFor('BILLING_AGENT', false));
    expect(compactDoc(billing)).toBe(
      compact('{ patients { nodes { lastName __clinicRecordId: id id __clinicAccess: _accessFacts } } }'),
    );
  });
});
