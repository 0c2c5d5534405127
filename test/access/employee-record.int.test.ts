import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  { who: 'accounting.morin', of: 'e-roy', field: 'hireDate', expected: 'allow' },
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

  // Former employees (seed 002: "accessible only to human resources staff ... double authentication"):
  // e-leblanc left 400 days ago. HR reads the record with MFA only; everyone else keeps only what
  // names the author of a patient's record (id, name, job title, role).
  { who: 'hr.lavoie', mfa: true, of: 'e-leblanc', field: 'homeAddress', expected: 'allow' },
  { who: 'hr.lavoie', mfa: true, of: 'e-leblanc', field: 'terminationDate', expected: 'allow' },
  { who: 'hr.lavoie', of: 'e-leblanc', field: 'homeAddress', expected: 'MFA_REQUIRED' },
  { who: 'hr.lavoie', of: 'e-leblanc', field: 'hireDate', expected: 'MFA_REQUIRED' },
  { who: 'hr.lavoie', of: 'e-leblanc', field: 'lastName', expected: 'allow' },
  { who: 'accounting.morin', of: 'e-leblanc', field: 'terminationDate', expected: 'ROLE' },
  { who: 'accounting.morin', mfa: true, of: 'e-leblanc', field: 'socialInsuranceNumber', expected: 'ROLE' },
  { who: 'accounting.morin', mfa: true, of: 'e-leblanc', field: 'salary', expected: 'ROLE' },
  { who: 'manager.girard', mfa: true, of: 'e-leblanc', field: 'hireDate', expected: 'ROLE' },
  { who: 'manager.girard', of: 'e-leblanc', field: 'jobTitle', expected: 'allow' },
  { who: 'dr.tremblay', mfa: true, of: 'e-leblanc', field: 'workEmail', expected: 'ROLE' },
  { who: 'dr.tremblay', of: 'e-leblanc', field: 'firstName', expected: 'allow' },
  { who: 'patient.caron', of: 'e-leblanc', field: 'role', expected: 'allow' },
  { who: 'manager.girard', of: 'e-dufour', field: 'terminationDate', expected: 'ROLE' },

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
    // Every request asks the employment check (no reuse window), so two requests' look-ups compare exactly.
    system = await startClinicSystem({ backend, gateway: { employmentRecheckMs: 0 } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it.each(CASES.map((c) => [describeCase(c), c] as const))('%s', async (_title, c) => {
    await checkEmployeeField(system, c);
  });

  it("names a former employee in a patient's record, and refuses the rest of theirs, from facts fetched with the records", async () => {
    // p-bergeron's care team: e-leblanc (left the clinic) and e-nguyen. The receptionist reads care
    // teams and every current employee's work contact; of a former one, only what names them.
    const policyBefore = system.policyRequests();
    const employeeCallsBefore = system.subgraphRequests().employee;
    const res = await system.query<{ patient: { careTeam: { employee: { id: string; firstName: string; jobTitle: string; role: string; workEmail: string | null } }[] } }>(
      '{ patient(id: "p-bergeron") { careTeam { employee { id firstName jobTitle role workEmail } } } }',
      undefined,
      { as: 'reception.roy' },
    );
    const team = res.data?.patient.careTeam ?? [];
    const leblanc = team.findIndex((m) => m.employee.id === 'e-leblanc');
    const nguyen = team.findIndex((m) => m.employee.id === 'e-nguyen');
    expect(team[leblanc]?.employee).toMatchObject({ firstName: 'Denis', jobTitle: 'Clinical nurse (left the clinic)', role: 'NURSE', workEmail: null });
    expect(team[nguyen]?.employee.workEmail).toBe('m.nguyen@clinique-demo.example');
    expect(res.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([[['patient', 'careTeam', leblanc, 'employee', 'workEmail'], 'FORBIDDEN', 'ROLE']]);
    // Whether employment ended came with the employees themselves: one call to the employee subgraph,
    // and no more policy look-ups than a request that reads no employee (the token's own check).
    const policyDelta = system.policyRequests().employee - policyBefore.employee;
    expect(system.subgraphRequests().employee - employeeCallsBefore).toBe(1);
    const baseline = system.policyRequests().employee;
    await system.query('{ me { id } }', undefined, { as: 'reception.roy' });
    expect(policyDelta).toBe(system.policyRequests().employee - baseline);
  });

  it("lists employees for the manager with a former employee's employment withheld, decided per row without a look-up", async () => {
    const res = await system.query<{ employees: { nodes: { id: string; hireDate: string | null }[] } }>('{ employees(first: 50) { nodes { id hireDate } } }', undefined, { as: 'manager.girard' });
    const nodes = res.data?.employees.nodes ?? [];
    const refused = (res.errors ?? []).map((e) => nodes[e.path?.[2] as number]?.id).sort();
    expect(refused).toEqual(['e-dufour', 'e-leblanc']);
    expect(nodes.filter((n) => n.hireDate !== null).length).toBe(nodes.length - 2);
    // HR with two-factor authentication reads them all.
    const hr = await system.query<{ employees: { nodes: { id: string; hireDate: string | null }[] } }>('{ employees(first: 50) { nodes { id hireDate } } }', undefined, { as: 'hr.lavoie', mfa: true });
    expect(hr.errors).toBeUndefined();
    expect(hr.data?.employees.nodes.every((n) => n.hireDate !== null)).toBe(true);
  });
});
