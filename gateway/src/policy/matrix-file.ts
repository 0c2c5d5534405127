import { fileURLToPath } from 'node:url';
import { REQUIRES_MFA, ROW_FILTERS, RULES } from '../permissions.js';
import { renderAccessMatrix } from './access-matrix.js';

export const accessMatrixPath = fileURLToPath(new URL('../../../docs/access-matrix.md', import.meta.url));

/** The access matrix as the permission rules file says it today. */
export function currentAccessMatrix(): string {
  return renderAccessMatrix({ rules: RULES, rowFilters: ROW_FILTERS, mfaCategories: REQUIRES_MFA });
}
