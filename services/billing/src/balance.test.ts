import { describe, expect, it } from 'vitest';
import { balanceCents, toCents, toDollars } from './balance.js';
import type { Invoice, Payment } from './entities.js';

const invoice = (id: string, amountCents: number, status: string) => ({ id, amountCents, status }) as Invoice;
const payment = (amountCents: number) => ({ amountCents }) as Payment;

describe('balanceCents', () => {
  it('is what was invoiced minus what was paid, cancelled invoices excluded', () => {
    const invoices = [invoice('i-1', 4500, 'SUBMITTED'), invoice('i-2', 2500, 'PAID'), invoice('i-3', 9999, 'CANCELLED')];
    const payments: Record<string, Payment[]> = { 'i-2': [payment(2500)], 'i-3': [] };
    expect(balanceCents(invoices, (i) => payments[i.id] ?? [])).toBe(4500);
  });

  it('converts dollars to cents without floating-point drift', () => {
    expect(toCents(78.5)).toBe(7850);
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(toDollars(7850)).toBe(78.5);
  });
});
