import { describe, expect, it } from 'vitest';
import { checkedDateOfBirth, checkedRectification, RECTIFIABLE_FIELDS } from './rectification-rules.js';

const today = new Date('2026-03-15T12:00:00Z');

describe('rectification rules', () => {
  it('limits rectification to the demographic fields of the patient record', () => {
    expect(Object.keys(RECTIFIABLE_FIELDS).sort()).toEqual(
      ['address', 'dateOfBirth', 'email', 'firstName', 'healthInsuranceNumber', 'lastName', 'phone', 'sex'].map((f) => `Patient.${f}`).sort(),
    );
  });

  it('accepts a field named with or without its type and stores the normalized value', () => {
    expect(checkedRectification('Patient.lastName', '  Caron-Roy ', today)).toEqual({ ok: true, field: 'Patient.lastName', column: 'lastName', value: 'Caron-Roy' });
    expect(checkedRectification('phone', '514 555-2002', today)).toMatchObject({ ok: true, field: 'Patient.phone', value: '514 555-2002' });
    expect(checkedRectification('Patient.healthInsuranceNumber', 'carj 6207 2118', today)).toMatchObject({ ok: true, value: 'CARJ62072118' });
    expect(checkedRectification('Patient.sex', 'x', today)).toMatchObject({ ok: true, value: 'X' });
  });

  it('refuses unknown fields and fields that are not the patient demographic information', () => {
    for (const field of ['Patient.diagnoses', 'Patient.id', 'Employee.salary', 'Patient.balance', 'nickname', 'Patient.']) {
      const checked = checkedRectification(field, 'anything', today);
      expect(checked, field).toMatchObject({ ok: false, argument: 'field' });
    }
  });

  it('refuses malformed values without quoting them', () => {
    const cases: [string, string][] = [
      ['Patient.dateOfBirth', '1962-02-30'],
      ['Patient.dateOfBirth', '21/07/1962'],
      ['Patient.email', 'jean.caron-at-example.org'],
      ['Patient.phone', 'call me maybe'],
      ['Patient.healthInsuranceNumber', 'CARJ6207'],
      ['Patient.sex', 'male'],
      ['Patient.firstName', ''],
      ['Patient.lastName', 'x'.repeat(101)],
      ['Patient.address', 'a\u0000b street'],
    ];
    for (const [field, value] of cases) {
      const checked = checkedRectification(field, value, today);
      expect(checked, `${field} ${value}`).toMatchObject({ ok: false, argument: 'proposedValue' });
      if (!checked.ok && value.length > 3) expect(checked.problem).not.toContain(value);
    }
  });

  it('takes a date of birth only between 1900 and today', () => {
    expect(checkedDateOfBirth('1962-07-21', today)).toEqual({ ok: true, value: '1962-07-21' });
    expect(checkedDateOfBirth('2026-03-15', today)).toEqual({ ok: true, value: '2026-03-15' });
    expect(checkedDateOfBirth('2026-03-16', today)).toMatchObject({ ok: false });
    expect(checkedDateOfBirth('1899-12-31', today)).toMatchObject({ ok: false });
    expect(checkedDateOfBirth('2024-02-29', today)).toMatchObject({ ok: true });
    expect(checkedDateOfBirth('2023-02-29', today)).toMatchObject({ ok: false });
  });
});
