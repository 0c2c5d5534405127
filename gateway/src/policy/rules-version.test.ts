import { describe, expect, it } from 'vitest';
import { ROW_FILTERS, RULES } from '../permissions.js';
import { isAuthenticated, isOneOf } from './checks.js';
import { CLINIC_POLICY } from './clinic-policy.js';
import { compilePolicy } from './compiled-policy.js';
import { currentAccessMatrix } from './matrix-file.js';

describe('the version of the rules (recorded in every audit event)', () => {
  it('is a SHA-256 of the compiled rules: the same rules compile to the same version', () => {
    expect(CLINIC_POLICY.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(compilePolicy(RULES, ROW_FILTERS).version).toBe(CLINIC_POLICY.version);
  });

  it('changes when a grant, a rule or a row filter changes', () => {
    const versions = new Set([
      CLINIC_POLICY.version,
      // The incident register opened to the nurses too.
      compilePolicy({ ...RULES, Query: { ...RULES.Query, incidents: [isAuthenticated, isOneOf(['PRIVACY_OFFICER', 'NURSE'])] } }, ROW_FILTERS).version,
      // A field ruled by another check of the same names but different steps: two-factor dropped from clinical notes.
      compilePolicy({ ...RULES, Patient: { ...RULES.Patient, clinicalNotes: RULES.Patient?.diagnoses ?? [] } }, ROW_FILTERS).version,
      compilePolicy(RULES, {}).version,
    ]);
    expect(versions.size).toBe(4);
  });

  it('is shown by the generated access matrix', () => {
    expect(currentAccessMatrix()).toContain(`Rules version: \`${CLINIC_POLICY.version}\``);
  });
});
