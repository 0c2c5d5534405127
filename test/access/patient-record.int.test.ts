import { afterAll, beforeAll, describe, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { checkPatientField, describeCase, type FieldCase } from '../support/access-cases.js';

/**
 * SPEC §5, patients column: every role x category cell with a case that allows and one that
 * refuses, on the demo clinic's duties and restrictions:
 * - dr.tremblay: physician of record of p-lefebvre, p-caron, p-ouellet; p-dion's assignment ended;
 * - dr.nguyen: physician of record of p-bergeron; appointment with p-caron today (a-1);
 * - nurse.gagnon: assigned to p-lefebvre and p-caron; p-ouellet's assignment ended; restriction r-1
 *   keeps her from p-lefebvre's diagnoses, clinical notes and medications;
 * - consult.pelletier: active referral of p-ouellet;
 * - restriction r-2 keeps every receptionist from p-caron's address and e-mail.
 */
const CASES: FieldCase[] = [
  // PHYSICIAN: IDENTITY of all; the rest with duty; NOTES with MFA; no BILLING, no PRIVACY.
  { who: 'dr.nguyen', of: 'p-lefebvre', field: 'lastName', expected: 'allow' },
  { who: 'dr.tremblay', of: 'p-caron', field: 'phone', expected: 'allow' },
  { who: 'dr.tremblay', of: 'p-dion', field: 'phone', expected: 'NO_DUTY' },
  { who: 'dr.nguyen', of: 'p-caron', field: 'email', expected: 'allow' },
  { who: 'dr.nguyen', of: 'p-lefebvre', field: 'email', expected: 'NO_DUTY' },
  { who: 'dr.tremblay', of: 'p-lefebvre', field: 'healthInsuranceNumber', expected: 'allow' },
  { who: 'dr.nguyen', of: 'p-lefebvre', field: 'healthInsuranceNumber', expected: 'NO_DUTY' },
  { who: 'dr.tremblay', of: 'p-ouellet', field: 'appointments', expected: 'allow' },
  { who: 'dr.nguyen', of: 'p-ouellet', field: 'appointments', expected: 'NO_DUTY' },
  { who: 'dr.tremblay', of: 'p-caron', field: 'careTeam', expected: 'allow' },
  { who: 'dr.tremblay', of: 'p-bergeron', field: 'careTeam', expected: 'NO_DUTY' },
  { who: 'dr.tremblay', of: 'p-ouellet', field: 'allergies', expected: 'allow' },
  { who: 'dr.nguyen', of: 'p-caron', field: 'medications', expected: 'allow' },
  { who: 'dr.tremblay', of: 'p-dion', field: 'diagnoses', expected: 'NO_DUTY' },
  { who: 'dr.tremblay', mfa: true, of: 'p-lefebvre', field: 'clinicalNotes', expected: 'allow' },
  { who: 'dr.tremblay', of: 'p-lefebvre', field: 'clinicalNotes', expected: 'MFA_REQUIRED' },
  { who: 'dr.nguyen', mfa: true, of: 'p-lefebvre', field: 'clinicalNotes', expected: 'NO_DUTY' },
  { who: 'dr.tremblay', of: 'p-caron', field: 'invoices', expected: 'ROLE' },
  { who: 'dr.tremblay', of: 'p-caron', field: 'accessRestrictions', expected: 'ROLE' },

  // NURSE: IDENTITY of all; CONTACT, SCHEDULE, CARE_TEAM, CLINICAL, NOTES with duty; no INSURANCE.
  { who: 'nurse.gagnon', of: 'p-bergeron', field: 'firstName', expected: 'allow' },
  { who: 'nurse.gagnon', of: 'p-caron', field: 'phone', expected: 'allow' },
  { who: 'nurse.gagnon', of: 'p-ouellet', field: 'phone', expected: 'NO_DUTY' },
  { who: 'nurse.gagnon', of: 'p-caron', field: 'healthInsuranceNumber', expected: 'ROLE' },
  { who: 'nurse.bouchard', of: 'p-caron', field: 'vitals', expected: 'allow' },
  { who: 'nurse.bouchard', of: 'p-lefebvre', field: 'vitals', expected: 'NO_DUTY' },
  { who: 'nurse.gagnon', of: 'p-lefebvre', field: 'allergies', expected: 'allow' },
  { who: 'nurse.gagnon', of: 'p-lefebvre', field: 'diagnoses', expected: 'RESTRICTED' },
  { who: 'nurse.gagnon', of: 'p-lefebvre', field: 'medications', expected: 'RESTRICTED' },
  { who: 'nurse.gagnon', mfa: true, of: 'p-lefebvre', field: 'clinicalNotes', expected: 'RESTRICTED' },
  { who: 'nurse.gagnon', mfa: true, of: 'p-caron', field: 'clinicalNotes', expected: 'allow' },
  { who: 'nurse.bouchard', of: 'p-caron', field: 'balance', expected: 'ROLE' },

  // CONSULTANT: IDENTITY, CLINICAL, NOTES with an active referral only.
  { who: 'consult.pelletier', of: 'p-ouellet', field: 'lastName', expected: 'allow' },
  { who: 'consult.pelletier', of: 'p-caron', field: 'lastName', expected: 'NO_DUTY' },
  { who: 'consult.pelletier', of: 'p-ouellet', field: 'diagnoses', expected: 'allow' },
  { who: 'consult.pelletier', mfa: true, of: 'p-ouellet', field: 'clinicalNotes', expected: 'allow' },
  { who: 'consult.pelletier', of: 'p-ouellet', field: 'phone', expected: 'ROLE' },
  { who: 'consult.pelletier', of: 'p-ouellet', field: 'appointments', expected: 'ROLE' },

  // RECEPTIONIST: IDENTITY, CONTACT, INSURANCE, SCHEDULE, CARE_TEAM of all; r-2 on p-caron.
  { who: 'reception.roy', of: 'p-dion', field: 'dateOfBirth', expected: 'allow' },
  { who: 'reception.roy', of: 'p-lefebvre', field: 'address', expected: 'allow' },
  { who: 'reception.roy', of: 'p-caron', field: 'phone', expected: 'allow' },
  { who: 'reception.roy', of: 'p-caron', field: 'address', expected: 'RESTRICTED' },
  { who: 'reception.roy', of: 'p-caron', field: 'email', expected: 'RESTRICTED' },
  { who: 'reception.roy', of: 'p-bergeron', field: 'healthInsuranceNumber', expected: 'allow' },
  { who: 'reception.roy', of: 'p-bergeron', field: 'appointments', expected: 'allow' },
  { who: 'reception.roy', of: 'p-bergeron', field: 'careTeam', expected: 'allow' },
  { who: 'reception.roy', of: 'p-bergeron', field: 'allergies', expected: 'ROLE' },
  { who: 'reception.roy', of: 'p-bergeron', field: 'invoices', expected: 'ROLE' },

  // BILLING_AGENT: IDENTITY, INSURANCE, BILLING, CLINICAL_BILLING of all.
  { who: 'billing.cote', of: 'p-ouellet', field: 'lastName', expected: 'allow' },
  { who: 'billing.cote', of: 'p-ouellet', field: 'healthInsuranceNumber', expected: 'allow' },
  { who: 'billing.cote', of: 'p-caron', field: 'invoices', expected: 'allow' },
  { who: 'billing.cote', of: 'p-caron', field: 'balance', expected: 'allow' },
  { who: 'billing.cote', of: 'p-caron', field: 'phone', expected: 'ROLE' },
  { who: 'billing.cote', of: 'p-caron', field: 'diagnoses', expected: 'ROLE' },

  // ACCOUNTANT: BILLING; of IDENTITY only the id.
  { who: 'accounting.morin', of: 'p-caron', field: 'id', expected: 'allow' },
  { who: 'accounting.morin', of: 'p-caron', field: 'lastName', expected: 'ROLE' },
  { who: 'accounting.morin', of: 'p-caron', field: 'balance', expected: 'allow' },
  { who: 'accounting.morin', of: 'p-caron', field: 'healthInsuranceNumber', expected: 'ROLE' },

  // HR and MANAGER: nothing about patients.
  { who: 'hr.lavoie', of: 'p-caron', field: 'lastName', expected: 'ROLE', refusedAt: 'query' },
  { who: 'manager.girard', of: 'p-caron', field: 'lastName', expected: 'ROLE', refusedAt: 'query' },

  // PRIVACY_OFFICER: IDENTITY and PRIVACY of all.
  { who: 'privacy.fortin', of: 'p-lefebvre', field: 'lastName', expected: 'allow' },
  { who: 'privacy.fortin', of: 'p-lefebvre', field: 'accessRestrictions', expected: 'allow' },
  { who: 'privacy.fortin', of: 'p-caron', field: 'communicationConsent', expected: 'allow' },
  { who: 'privacy.fortin', of: 'p-caron', field: 'phone', expected: 'ROLE' },
  { who: 'privacy.fortin', of: 'p-caron', field: 'diagnoses', expected: 'ROLE' },

  // PATIENT: everything about themself (NOTES with MFA), nothing about anyone else.
  { who: 'patient.lefebvre', of: 'p-lefebvre', field: 'diagnoses', expected: 'allow' },
  { who: 'patient.lefebvre', mfa: true, of: 'p-lefebvre', field: 'clinicalNotes', expected: 'allow' },
  { who: 'patient.lefebvre', of: 'p-lefebvre', field: 'clinicalNotes', expected: 'MFA_REQUIRED' },
  { who: 'patient.lefebvre', of: 'p-lefebvre', field: 'invoices', expected: 'allow' },
  { who: 'patient.lefebvre', of: 'p-lefebvre', field: 'accessRestrictions', expected: 'allow' },
  { who: 'patient.caron', of: 'p-caron', field: 'address', expected: 'allow' },
  { who: 'patient.caron', of: 'p-lefebvre', field: 'lastName', expected: 'ROLE', refusedAt: 'query' },
];

describe.each(testBackends())("reading a patient's record on %s", (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it.each(CASES.map((c) => [describeCase(c), c] as const))('%s', async (_title, c) => {
    await checkPatientField(system, c);
  });
});
