import { defineEntity, type InferEntity } from '@mikro-orm/core';

// Money is kept in integer cents; the API shows dollars.

export const Invoice = defineEntity({
  name: 'Invoice',
  tableName: 'invoice',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    serviceDate: p.string(),
    ramqBillingCode: p.string().nullable(),
    diagnosisCode: p.string().nullable(),
    description: p.string().nullable(),
    amountCents: p.integer(),
    status: p.string(),
  }),
});
export type Invoice = InferEntity<typeof Invoice>;

export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payment',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    invoiceId: p.string().index(),
    method: p.string(),
    amountCents: p.integer(),
    paidAt: p.datetime().nullable(),
    cardLast4: p.string().nullable(),
  }),
});
export type Payment = InferEntity<typeof Payment>;

export const entities = [Invoice, Payment];
