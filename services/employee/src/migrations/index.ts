import type { MigrationEntry } from '@clinic/service-kit';
import { CreateEmployee } from './0001-create-employee.js';

/** Applied in order; a new schema change is a new file here, never an edit of an applied one. */
export const migrations: MigrationEntry[] = [{ name: '0001-create-employee', class: CreateEmployee }];
