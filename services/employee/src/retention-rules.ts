import { DateTime } from 'luxon';
import { clinicDayOf } from '@clinic/schema';

/**
 * The employee subgraph's retention rule (SPEC §11): an employee's personal data is removed 10 years
 * after their employment ended. Counted in clinic calendar days (termination dates are days).
 */
export const EMPLOYEE_RULE = {
  code: 'EMPLOYEE_10_YEARS_AFTER_EMPLOYMENT',
  description:
    "An employee's personal data (home address, personal phone, date of birth, social insurance number, salary, bank account, work contact) is removed 10 years after employment ended; the record id, name, job title, role and employment dates stay, so that records they wrote still name their author",
  action: 'ANONYMIZE',
} as const;

export const EMPLOYEE_RETENTION_YEARS = 10;

/** The columns the rule empties: personal (STAFF_PERSONAL), SIN, pay and contact details. */
export const PERSONAL_DATA_COLUMNS = ['homeAddress', 'personalPhone', 'dateOfBirth', 'socialInsuranceNumber', 'salary', 'bankAccount', 'workEmail', 'workPhone'] as const;

/** Employments that ended on or before this day (YYYY-MM-DD) ended 10 years ago or more at `at`. */
export function employmentCutoffDay(at: Date): string {
  const day = DateTime.fromISO(clinicDayOf(at), { zone: 'utc' }).minus({ years: EMPLOYEE_RETENTION_YEARS }).toISODate();
  if (!day) throw new Error('retention: invalid date');
  return day;
}

/** The day an employment that ended on `terminationDate` becomes due. */
export function employeeDueDay(terminationDate: string): string {
  const day = DateTime.fromISO(terminationDate, { zone: 'utc' }).plus({ years: EMPLOYEE_RETENTION_YEARS }).toISODate();
  if (!day) throw new Error('retention: invalid termination date');
  return day;
}

type PersonalData = Partial<Record<(typeof PERSONAL_DATA_COLUMNS)[number], unknown>>;

/** Due: employment ended 10 years ago or more, and some personal data is still there. */
export function employeeIsDue(employee: PersonalData & { terminationDate?: string | null }, at: Date): boolean {
  if (!employee.terminationDate || employee.terminationDate > employmentCutoffDay(at)) return false;
  return PERSONAL_DATA_COLUMNS.some((column) => employee[column] !== null && employee[column] !== undefined);
}
