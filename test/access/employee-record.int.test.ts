import { afterAll, beforeAll, describe, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { checkEmployeeField, describeCase, type FieldCase } from '../support/access-cases.js';

/** SPEC §5, employees column, with self access and MFA on STAFF_SIN and STAFF_PAY. */
const CASES: FieldCase[] = [
  // Clinical, front-desk, billing and privacy staff: DIRECTORY and CONTACT of everyone.
  ...['dr.tremblay', 'nurse.gagnon', 'consult.pelletier', 'reception.roy', 'billing.cote', 'privacy.fortin'].flatMap((who): FieldCase[] => [
    { who, of: 'e-lavoie', field: 'jobTitle', expected: 'allow' },
    { who, of: 'e-lavoie', field: 'workPhone', expected: 'allow' },
    { who, of: 'e-lavoie', field: 'homeAddress', expected: 'ROLE' },
    { who, of: 'e-lavoie', field: 'hireDate', expected: 'ROLE' },
    { who, mfa: true, of: 'e-lavoie', field: 'socialInsuranceNumber', expected: 'ROLE' },
    { who, mfa: true, of: 'e-lavoie', field: 'salary', expected: 'ROLE' },
  ]),

  // ACCOUNTANT: DIRECTORY, CONTACT, EMPLOYMENT, SIN and PAY (with MFA); not PERSONAL.
  { who: 'accounting.morin', of: 'e-leblanc', field: 'terminationDate', expected: 'allow' },
  { who: 'accounting.morin', mfa: true, of: 'e-roy', field: 'socialInsuranceNumber', expected: 'allow' },
  { who: 'accounting.morin', of: 'e-roy', field: 'socialInsuranceNumber', expected: 'MFA_REQUIRED' },
  { who: 'accounting.morin', mfa: true, of: 'e-roy', field: 'bankAccount', expected: 'allow' },
  { who: 'accounting.morin', of: 'e-roy', field: 'personalPhone', expected: 'ROLE' },

  // HR: everything (SIN and PAY with MFA).
  { who: 'hr.lavoie', of: 'e-roy', field: 'homeAddress', expected: 'allow' },
  { who: 'hr.lavoie', of: 'e-roy', field: 'dateOfBirth', expected: 'allow' },
  { who: 'hr.lavoie', mfa: true, of: 'e-roy', field: 'salary', expected: 'allow' },
  { who: 'hr.lavoie', of: 'e-roy', field: 'salary', expected: 'MFA_REQUIRED' },
  { who: 'hr.lavoie', mfa: true, of: 'e-leblanc', field: 'socialInsuranceNumber', expected: 'allow' },

  // MANAGER: DIRECTORY, CONTACT, EMPLOYMENT.
  { who: 'manager.girard', of: 'e-roy', field: 'hireDate', expected: 'allow' },
  { who: 'manager.girard', of: 'e-roy', field: 'workEmail', expected: 'allow' },
  { who: 'manager.girard', of: 'e-roy', field: 'personalPhone', expected: 'ROLE' },
  { who: 'manager.girard', mfa: true, of: 'e-roy', field: 'salary', expected: 'ROLE' },

  // PATIENT: DIRECTORY of any employee, nothing more.
  { who: 'patient.caron', of: 'e-nguyen', field: 'lastName', expected: 'allow' },
  { who: 'patient.caron', of: 'e-nguyen', field: 'role', expected: 'allow' },
  { who: 'patient.caron', of: 'e-nguyen', field: 'workEmail', expected: 'ROLE' },

  // Every employee reads all of their own record (SIN and PAY still with MFA).
  { who: 'nurse.gagnon', of: 'e-gagnon', field: 'homeAddress', expected: 'allow' },
  { who: 'nurse.gagnon', mfa: true, of: 'e-gagnon', field: 'salary', expected: 'allow' },
  { who: 'nurse.gagnon', of: 'e-gagnon', field: 'bankAccount', expected: 'MFA_REQUIRED' },
  { who: 'reception.roy', of: 'e-roy', field: 'hireDate', expected: 'allow' },
  { who: 'reception.roy', of: 'e-gagnon', field: 'homeAddress', expected: 'ROLE' },
];

describe.each(testBackends())("reading an employee's record on %s", (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it.each(CASES.map((c) => [describeCase(c), c] as const))('%s', async (_title, c) => {
    await checkEmployeeField(system, c);
  });
});
