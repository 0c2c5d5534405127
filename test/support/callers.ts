import { loadDemoClinic } from '@clinic/schema';
import type { Caller, ClinicSystem } from './clinic-system.js';

/**
 * Demo clinic users the platform suites send their requests as: for each request, one whose role
 * may read everything it asks for (SPEC §5, gateway/src/permissions.ts, docs/access-matrix.md).
 */

/** IDENTITY, CONTACT, INSURANCE, SCHEDULE and CARE_TEAM of every patient (but for r-2: p-caron's address and e-mail); books and cancels; `patients`, `appointments`. */
export const RECEPTIONIST: Caller = { as: 'reception.roy' };

/** IDENTITY, INSURANCE, invoices, balance and every Invoice field (diagnosisCode included) of every patient; `patients`, `invoice`. */
export const BILLING_AGENT: Caller = { as: 'billing.cote' };

/** Every field of every employee (STAFF_SIN, STAFF_PAY and every field of a former employee need MFA). */
export const HR_WITH_MFA: Caller = { as: 'hr.lavoie', mfa: true };

/** STAFF_DIRECTORY, STAFF_CONTACT and STAFF_EMPLOYMENT (hire and termination dates) of every current employee (a former one's directory entry only). */
export const MANAGER: Caller = { as: 'manager.girard' };

/** IDENTITY and PRIVACY (access restrictions, communication consent) of every patient; `patients`. */
export const PRIVACY_OFFICER: Caller = { as: 'privacy.fortin' };

/** A physician with MFA: clinical data and notes of the patients they have a duty toward. */
export const physicianWithMfa = (username: 'dr.tremblay' | 'dr.nguyen'): Caller => ({ as: username, mfa: true });

/** The demo clinic patient with this id, with MFA: they read all of their own record, clinical notes included. */
export function patientThemself(patientId: string): Caller {
  const patient = loadDemoClinic().patients.find((p) => p.id === patientId);
  if (!patient) throw new Error(`no demo clinic patient ${patientId}`);
  return { as: patient.username, mfa: true };
}

/** The Authorization header value of a caller, for requests posted to the gateway by hand. */
export async function authorizationOf(system: ClinicSystem, caller: Caller): Promise<string> {
  if (caller.authorization) return caller.authorization;
  if (!caller.as) throw new Error('authorizationOf: the caller names no user');
  return `Bearer ${await system.token(caller.as, { mfa: caller.mfa ?? false })}`;
}
