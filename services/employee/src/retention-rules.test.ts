import { describe, expect, it } from 'vitest';
import { employeeDueDay, employeeIsDue, employmentCutoffDay, PERSONAL_DATA_COLUMNS } from './retention-rules.js';

// 2026-01-15 in Montréal.
const at = new Date('2026-01-15T15:00:00Z');
const withPersonalData = { homeAddress: '1 rue Principale', personalPhone: null, dateOfBirth: null, socialInsuranceNumber: null, salary: null, bankAccount: null, workEmail: null, workPhone: null };

describe('retention rule of employee records', () => {
  it('counts 10 years from the end of employment on the clinic calendar', () => {
    expect(employmentCutoffDay(at)).toBe('2016-01-15');
    // 23:30 in Montréal is already the next day in UTC: the clinic's day counts.
    expect(employmentCutoffDay(new Date('2026-01-16T04:30:00Z'))).toBe('2016-01-15');
    expect(employeeDueDay('2015-03-01')).toBe('2025-03-01');
  });

  it('makes due an employment that ended 10 years ago or more, while personal data remains', () => {
    expect(employeeIsDue({ ...withPersonalData, terminationDate: '2014-10-03' }, at)).toBe(true);
    expect(employeeIsDue({ ...withPersonalData, terminationDate: '2016-01-15' }, at)).toBe(true);
    expect(employeeIsDue({ ...withPersonalData, terminationDate: '2016-01-16' }, at)).toBe(false);
    expect(employeeIsDue({ ...withPersonalData, terminationDate: '2024-12-11' }, at)).toBe(false);
  });

  it('never makes due a current employee, nor a record already emptied', () => {
    expect(employeeIsDue({ ...withPersonalData, terminationDate: null }, at)).toBe(false);
    const emptied = Object.fromEntries(PERSONAL_DATA_COLUMNS.map((c) => [c, null]));
    expect(employeeIsDue({ ...emptied, terminationDate: '2010-01-01' }, at)).toBe(false);
  });
});
