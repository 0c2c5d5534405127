import type { SqlEntityManager } from '@clinic/service-kit';
import type { ClinicCalendar, DemoClinic } from '@clinic/schema';
import { Employee } from './entities.js';

/** Writes the employee subgraph's part of the demo clinic. */
export async function seedEmployees(em: SqlEntityManager, clinic: DemoClinic, calendar: ClinicCalendar): Promise<void> {
  for (const e of clinic.employees) {
    em.create(Employee, {
      id: e.id,
      firstName: e.firstName,
      lastName: e.lastName,
      jobTitle: e.jobTitle,
      role: e.role,
      workEmail: e.workEmail,
      workPhone: e.workPhone,
      homeAddress: e.homeAddress,
      personalPhone: e.personalPhone,
      dateOfBirth: e.dateOfBirth,
      hireDate: calendar.dayAt(e.hireDayOffset),
      terminationDate: e.terminationDayOffset === null ? null : calendar.dayAt(e.terminationDayOffset),
      socialInsuranceNumber: e.socialInsuranceNumber,
      salary: e.salary,
      bankAccount: e.bankAccount,
    });
  }
  await em.flush();
}
