import type { Role } from '@clinic/schema';

/** The verified caller of one request. Nothing about it ever comes from a header other than the token. */
export interface Viewer {
  /** `sub`: an employee id (e-…) or a patient id (p-…). */
  id: string;
  role: Role;
  /** Two-factor authentication was used (`amr` contains "mfa"). */
  mfa: boolean;
}
