import { fileURLToPath } from 'node:url';
import { REQUIRES_MFA } from '../permissions.js';
import { renderAccessMatrix } from './access-matrix.js';
import { CLINIC_POLICY } from './clinic-policy.js';

export const accessMatrixPath = fileURLToPath(new URL('../../../docs/access-matrix.md', import.meta.url));

/** The access matrix as the compiled permission rules say it today. */
export function currentAccessMatrix(): string {
  return renderAccessMatrix({ policy: CLINIC_POLICY, mfaCategories: REQUIRES_MFA });
}
