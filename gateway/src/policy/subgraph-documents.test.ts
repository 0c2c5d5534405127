import { parse, print, stripIgnoredCharacters } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readSupergraphSdl } from '@clinic/schema';
import type { Role } from '@clinic/schema';
import { CLINIC_POLICY } from './clinic-policy.js';
import { buildSupergraphSchema } from '../supergraph-schema.js';
import { withoutFieldsNeverServed } from './minimal-disclosure.js';

const withoutFieldsTheRoleCannotRead = (doc: ReturnType<typeof parse>, role: Role, mfa = false) => withoutFieldsNeverServed(doc, schema, CLINIC_POLICY, CLINIC_POLICY.plansFor(role, mfa));
import { addRecordKeys } from './record-keys.js';

// What the gateway sends a subgraph, after stitching planned the request: the record keys added,
// the fields the caller's role can never read taken out.
const schema = buildSupergraphSchema({
  supergraphSdl: readSupergraphSdl(),
  subgraphUrls: { patient: 'http://127.0.0.1:1/graphql', employee: 'http://127.0.0.1:1/graphql', billing: 'http://127.0.0.1:1/graphql' },
  subgraphTimeoutMs: 1000,
});
const compact = (query: string) => stripIgnoredCharacters(print(parse(query)));
const compactDoc = (doc: ReturnType<typeof parse>) => stripIgnoredCharacters(print(doc));

describe('record keys in subgraph requests', () => {
  it("selects every record's id under the gateway-only key, and an appointment's or invoice's patient under the owner key", () => {
    const doc = addRecordKeys(schema, parse('query Q { patients(first: 2) { nodes { lastName appointments { startsAt } invoices { amount } } } }'));
    expect(compactDoc(doc)).toBe(
      compact(`query Q { patients(first: 2) { nodes {
        lastName
        appointments { startsAt __clinicRecordId: id id __clinicOwner: patient { id } }
        invoices { amount __clinicRecordId: id id __clinicOwner: patient { id } }
        __clinicRecordId: id id
      } } }`),
    );
  });

  it("adds an employee's termination date under the employment key, in documents for the employee subgraph only", () => {
    const query = 'query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { workEmail } } }';
    expect(compactDoc(addRecordKeys(schema, parse(query), { employmentEnds: true }))).toBe(
      compact('query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { workEmail __clinicRecordId: id id __clinicEmploymentEnds: terminationDate } } }'),
    );
    expect(compactDoc(addRecordKeys(schema, parse(query)))).toBe(compact('query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { workEmail __clinicRecordId: id id } } }'));
  });

  it('adds the keys inside the inline fragments of an _entities request, and nothing to wrapper types', () => {
    const doc = addRecordKeys(schema, parse('query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { phone } } }'));
    expect(compactDoc(doc)).toBe(compact('query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { phone __clinicRecordId: id id } } }'));
    const connection = addRecordKeys(schema, parse('{ patients { totalCount pageInfo { endCursor } } }'));
    expect(compactDoc(connection)).toBe(compact('{ patients { totalCount pageInfo { endCursor } } }'));
  });
});

describe('minimal disclosure in subgraph requests', () => {
  const query = 'query Q($first: Int!) { patients(first: $first) { nodes { id lastName phone allergies balance __clinicRecordId: id appointments { __clinicOwner: patient { id } startsAt } } } }';

  it("takes out the fields the caller's role can never read, whatever the patient, and keeps the keys", () => {
    // A nurse never reads billing information (balance); every other field here depends on the patient.
    const nurse = withoutFieldsTheRoleCannotRead(parse(query), 'NURSE');
    expect(compactDoc(nurse)).toBe(compact(query.replace(' balance', '')));
    // A billing agent reads balance, never clinical data, contact or schedules.
    const billing = withoutFieldsTheRoleCannotRead(parse(query), 'BILLING_AGENT');
    expect(compactDoc(billing)).toBe(compact('query Q($first: Int!) { patients(first: $first) { nodes { id lastName balance __clinicRecordId: id } } }'));
  });

  it('leaves a request the role may read as it is, and keeps a selection valid when all its fields go', () => {
    const physician = parse(query.replace(' balance', ''));
    expect(withoutFieldsTheRoleCannotRead(physician, 'PHYSICIAN')).toBe(physician);
    const onlyForbidden = withoutFieldsTheRoleCannotRead(parse('{ patients { nodes { allergies } } }'), 'RECEPTIONIST');
    expect(compactDoc(onlyForbidden)).toBe(compact('{ patients { nodes { __typename } } }'));
  });

  it('takes out what needs two-factor authentication the reader did not use, and keeps it for a reader who did', () => {
    const notes = 'query Q { patient(id: "p-lefebvre") { id clinicalNotes { text } } }';
    expect(compactDoc(withoutFieldsTheRoleCannotRead(parse(notes), 'PHYSICIAN'))).toBe(compact('query Q { patient(id: "p-lefebvre") { id } }'));
    const withMfa = parse(notes);
    expect(withoutFieldsTheRoleCannotRead(withMfa, 'PHYSICIAN', true)).toBe(withMfa);
  });

  it('drops the variables only removed fields used', () => {
    const doc = withoutFieldsTheRoleCannotRead(parse('query Q($d: String) { patients { nodes { lastName } } appointments(day: $d) { startsAt } }'), 'BILLING_AGENT');
    expect(compactDoc(doc)).toBe(compact('query Q { patients { nodes { lastName } } }'));
  });
});
