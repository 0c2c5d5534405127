import { groupedLoader, keyedLoader, type SqlEntityManager } from '@clinic/service-kit';
import { Invoice, Payment } from './entities.js';

/** Per-request batch loaders: one SQL statement per kind of row, whatever the number of patients. */
export function createBillingLoaders(em: SqlEntityManager) {
  return {
    invoiceById: keyedLoader((ids) => em.find(Invoice, { id: { $in: [...ids] } }), (i) => i.id),
    invoicesByPatient: groupedLoader(
      (ids) => em.find(Invoice, { patientId: { $in: [...ids] } }, { orderBy: { serviceDate: 'desc', id: 'asc' } }),
      (i) => i.patientId,
    ),
    paymentsByInvoice: groupedLoader(
      (ids) => em.find(Payment, { invoiceId: { $in: [...ids] } }, { orderBy: { paidAt: 'asc', id: 'asc' } }),
      (p) => p.invoiceId,
    ),
  };
}

export type BillingLoaders = ReturnType<typeof createBillingLoaders>;
