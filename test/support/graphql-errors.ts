import { expect } from 'vitest';
import { loadDemoClinic } from '@clinic/schema';
import type { GraphQLResponse } from './clinic-system.js';

type GraphQLError = NonNullable<GraphQLResponse['errors']>[number];

/** Asserts the response carries exactly one error, with this code and a message matching `message`; returns it. */
export function expectOneError(res: GraphQLResponse<unknown>, code: string, message: RegExp): GraphQLError {
  expect(res.errors, JSON.stringify(res)).toHaveLength(1);
  const error = res.errors?.[0] as GraphQLError;
  expect(error.extensions?.code).toBe(code);
  expect(error.message).toMatch(message);
  return error;
}

/**
 * Every personal value of the demo clinic (names, contact details, identifiers, clinical text,
 * employee HR data) longer than three characters: error messages must never quote one of them.
 */
export function personalValuesOfDemoClinic(): string[] {
  const clinic = loadDemoClinic();
  const values: (string | null | undefined)[] = [];
  for (const p of clinic.patients) {
    values.push(p.username, p.firstName, p.lastName, p.dateOfBirth, p.phone, p.email, p.address, p.healthInsuranceNumber);
    values.push(...p.allergies, ...p.medications.flatMap((m) => [m.name, m.dosage]));
    values.push(...p.diagnoses.map((d) => d.description), ...p.clinicalNotes.map((n) => n.text), ...p.documents.map((d) => d.title));
  }
  for (const e of clinic.employees) {
    values.push(e.username, e.firstName, e.lastName, e.homeAddress, e.personalPhone, e.dateOfBirth, e.socialInsuranceNumber, e.bankAccount, e.workEmail, e.workPhone);
  }
  values.push(...clinic.appointments.map((a) => a.reason), ...clinic.accessRestrictions.map((r) => r.reason), ...clinic.mailingList.map((m) => m.email));
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 3))];
}

/** The personal values a text quotes (empty when it quotes none). */
export function personalValuesIn(text: string): string[] {
  const lower = text.toLowerCase();
  return personalValuesOfDemoClinic().filter((value) => lower.includes(value.toLowerCase()));
}
