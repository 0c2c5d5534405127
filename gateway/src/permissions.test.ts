import { readFileSync } from 'node:fs';
import { isEnumType, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROLES, supergraphFieldsOf } from '@clinic/schema';
import { EMPLOYEE_ACCESS, EMPLOYEE_FIELD_CATEGORY, PATIENT_ACCESS, PATIENT_FIELD_CATEGORY, ROW_FILTERS, RULES } from './permissions.js';
import { DISCLOSURE_LEGAL_BASIS_NAMES } from './audit-store/disclosure-register.js';
import { accessMatrixPath, currentAccessMatrix } from './policy/matrix-file.js';
import { CLINIC_POLICY } from './policy/clinic-policy.js';
import { notRestrictedFor, theParentPatient } from './policy/checks.js';
import { assertPolicyCoversSchema, compilePolicy, fieldsToWrap, fieldsWithoutRules, restrictionNamesWithoutFields, rulesWithoutFields } from './policy/compiled-policy.js';
import { applyShield } from './policy/apply-shield.js';
import { shieldFromPolicy } from './policy/shield-rules.js';
import { servedSchema } from './testing/served-schema.js';

// The schema the gateway serves: the supergraph, `Query.me` and the gateway's own fields (no store is needed to build it).
const schema = servedSchema();
const servedFieldsOf = (typeName: string) => {
  const type = schema.getType(typeName);
  return isObjectType(type) ? Object.keys(type.getFields()) : [];
};

describe('the permission rules file', () => {
  it('has an explicit rule for every field of every object type the gateway serves, queries and mutations included', () => {
    expect(fieldsWithoutRules(schema, RULES)).toEqual([]);
  });

  it('names no field the gateway does not serve', () => {
    expect(rulesWithoutFields(schema, RULES)).toEqual([]);
  });

  it('has no interface or union whose fields could escape the object rules', () => {
    const abstract = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && (isInterfaceType(t) || isUnionType(t)));
    expect(abstract.map((t) => t.name)).toEqual([]);
  });

  it('covers every value of every enum with the role tables', () => {
    const enums = Object.values(schema.getTypeMap()).filter((t) => isEnumType(t) && !t.name.startsWith('__'));
    // Besides Role, only closed lists of values (the registers' (issue 14), the access review's decisions (issue 15)), which grant nothing.
    expect(enums.map((t) => t.name).sort()).toEqual(['AccessReviewDecision', 'DisclosureLegalBasis', 'RegisterExportFormat', 'Role']);
    const basis = schema.getType('DisclosureLegalBasis');
    expect(isEnumType(basis) ? basis.getValues().map((v) => v.name).sort() : []).toEqual([...DISCLOSURE_LEGAL_BASIS_NAMES].sort());
    const role = schema.getType('Role');
    expect(isEnumType(role) ? role.getValues().map((v) => v.name).sort() : []).toEqual([...ROLES].sort());
    expect(Object.keys(PATIENT_ACCESS).sort()).toEqual([...ROLES].sort());
    expect(Object.keys(EMPLOYEE_ACCESS).sort()).toEqual([...ROLES].sort());
  });

  it('gives every field of a patient and of an employee a category (SPEC §4)', () => {
    expect(Object.keys(PATIENT_FIELD_CATEGORY).sort()).toEqual(servedFieldsOf('Patient').sort());
    expect(Object.keys(EMPLOYEE_FIELD_CATEGORY).sort()).toEqual(servedFieldsOf('Employee').sort());
    // The subgraphs' Patient fields are all categorized too (the gateway adds accessLog).
    expect(supergraphFieldsOf('Patient').every((f) => f in PATIENT_FIELD_CATEGORY)).toBe(true);
  });

  it('refuses to build rules for a schema with a field it does not cover', () => {
    const patient = schema.getType('Patient');
    expect(isObjectType(patient)).toBe(true);
    const withoutPhone = { ...RULES, Patient: Object.fromEntries(Object.entries(RULES.Patient ?? {}).filter(([field]) => field !== 'phone')) };
    expect(fieldsWithoutRules(schema, withoutPhone)).toEqual(['Patient.phone']);
    expect(() => assertPolicyCoversSchema(schema, compilePolicy(withoutPhone, ROW_FILTERS))).toThrow(/no rule for Patient.phone/);
    expect(() => assertPolicyCoversSchema(schema, CLINIC_POLICY)).not.toThrow();
  });

  it('refuses a restriction name that names no field (such a restriction would protect nothing)', () => {
    expect(restrictionNamesWithoutFields(schema, RULES, ROW_FILTERS)).toEqual([]);
    const typo = { ...RULES, Patient: { ...RULES.Patient, phone: [notRestrictedFor('Patient.phnoe', theParentPatient)] } };
    expect(restrictionNamesWithoutFields(schema, typo, ROW_FILTERS)).toEqual(['Patient.phnoe']);
    expect(() => assertPolicyCoversSchema(schema, compilePolicy(typo, ROW_FILTERS))).toThrow(/restriction name Patient.phnoe names no field/);
  });

  it('wraps the resolvers of fields whose rule can refuse or records a decision, and leaves the others as they are', () => {
    const guarded = applyShield(schema, shieldFromPolicy(schema, CLINIC_POLICY));
    const resolverOf = (s: typeof schema, coordinate: string) => {
      const [type, field] = coordinate.split('.') as [string, string];
      const t = s.getType(type);
      return isObjectType(t) ? t.getFields()[field]?.resolve : undefined;
    };
    const wrapped = fieldsToWrap(RULES);
    for (const coordinate of ['Query.patients', 'Patient.firstName', 'Patient.phone', 'Appointment.patient', 'Employee.homeAddress', 'Mutation.recordVital', 'Viewer.role']) {
      expect(wrapped.has(coordinate), coordinate).toBe(true);
      expect(resolverOf(guarded, coordinate), coordinate).not.toBe(resolverOf(schema, coordinate));
    }
    for (const coordinate of ['Medication.name', 'Vital.value', 'PageInfo.endCursor', 'PatientConnection.nodes', 'Payment.amount']) {
      expect(wrapped.has(coordinate), coordinate).toBe(false);
      expect(resolverOf(guarded, coordinate), coordinate).toBe(resolverOf(schema, coordinate));
    }
    // Unwrapped fields are exactly those whose every check decides nothing at run time.
    const all = Object.entries(RULES).flatMap(([type, fields]) => Object.entries(fields).map(([field, checks]) => ({ coordinate: `${type}.${field}`, checks })));
    expect(all.filter(({ coordinate }) => !wrapped.has(coordinate)).every(({ checks }) => checks.every((c) => c.name === 'decidedByTheFieldThatReachedIt'))).toBe(true);
    expect(wrapped.size).toBeLessThan(all.length);
  });

  it('keeps docs/access-matrix.md as generated from the rules (run `npm run policy:matrix`)', () => {
    expect(readFileSync(accessMatrixPath, 'utf8')).toBe(currentAccessMatrix());
  });
});
