import type { MigrationEntry } from '@clinic/service-kit';
import { CreateInvoices } from './0001-create-invoices.js';

/** Applied in order; a new schema change is a new file here, never an edit of an applied one. */
export const migrations: MigrationEntry[] = [{ name: '0001-create-invoices', class: CreateInvoices }];
