import type { Invoice, Payment } from './entities.js';

export const INVOICE_STATUS = { submitted: 'SUBMITTED', paid: 'PAID', cancelled: 'CANCELLED' } as const;

/** What is still owed, in cents: invoiced amounts (cancelled ones excluded) minus their payments. */
export function balanceCents(invoices: Invoice[], paymentsOf: (invoice: Invoice) => Payment[]): number {
  return invoices
    .filter((invoice) => invoice.status !== INVOICE_STATUS.cancelled)
    .reduce((owed, invoice) => owed + invoice.amountCents - paymentsOf(invoice).reduce((paid, p) => paid + p.amountCents, 0), 0);
}

export const toDollars = (cents: number) => cents / 100;
export const toCents = (dollars: number) => Math.round(dollars * 100);
