import { ROW_FILTERS, RULES } from '../permissions.js';
import { compilePolicy, type CompiledPolicy } from './compiled-policy.js';

/** The clinic's permission rules file, compiled once per process: the only policy anything reads. */
export const CLINIC_POLICY: CompiledPolicy = compilePolicy(RULES, ROW_FILTERS);
