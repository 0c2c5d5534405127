import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { assertId, isoOrNull, notFound, type SubgraphContext } from '@clinic/service-kit';
import { balanceCents, toDollars } from './balance.js';
import type { Invoice, Payment } from './entities.js';
import type { BillingLoaders } from './loaders.js';

type Context = SubgraphContext<BillingLoaders>;

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    invoice: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const invoice = await ctx.loaders.invoiceById.load(assertId(id));
      if (!invoice) throw notFound('invoice', id);
      return invoice;
    },
  },
  Invoice: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.invoiceById.load(ref.id),
    patient: (i: Invoice) => ({ __typename: 'Patient', id: i.patientId }),
    amount: (i: Invoice) => toDollars(i.amountCents),
    payments: (i: Invoice, _: unknown, ctx: Context) => ctx.loaders.paymentsByInvoice.load(i.id),
  },
  Payment: {
    amount: (p: Payment) => toDollars(p.amountCents),
    paidAt: (p: Payment) => isoOrNull(p.paidAt),
  },
  Patient: {
    // Billing knows patients only by id: a patient without invoices has none and owes nothing.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    invoices: (p: { id: string }, _: unknown, ctx: Context) => ctx.loaders.invoicesByPatient.load(p.id),
    balance: async (p: { id: string }, _: unknown, ctx: Context) => {
      const invoices = await ctx.loaders.invoicesByPatient.load(p.id);
      const payments = await ctx.loaders.paymentsByInvoice.loadMany(invoices.map((i) => i.id));
      const byInvoice = new Map(invoices.map((invoice, index) => [invoice.id, payments[index]]));
      return toDollars(balanceCents(invoices, (invoice) => {
        const found = byInvoice.get(invoice.id);
        if (found instanceof Error) throw found;
        return found ?? [];
      }));
    },
  },
};
