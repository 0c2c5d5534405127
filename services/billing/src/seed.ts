import type { SqlEntityManager } from '@clinic/service-kit';
import type { ClinicCalendar, DemoClinic } from '@clinic/schema';
import { toCents } from './balance.js';
import { Invoice, Payment } from './entities.js';

/** Writes the billing subgraph's part of the demo clinic. */
export async function seedBilling(em: SqlEntityManager, clinic: DemoClinic, calendar: ClinicCalendar): Promise<void> {
  // Invoices first: payments reference them by foreign key.
  for (const i of clinic.invoices) {
    em.create(Invoice, {
      id: i.id,
      patientId: i.patientId,
      serviceDate: calendar.dayAt(i.serviceDayOffset),
      ramqBillingCode: i.ramqBillingCode,
      diagnosisCode: i.diagnosisCode,
      description: i.description ?? null,
      amountCents: toCents(i.amount),
      status: i.status,
    });
  }
  await em.flush();
  for (const i of clinic.invoices) {
    for (const p of i.payments) {
      em.create(Payment, { invoiceId: i.id, method: p.method, amountCents: toCents(p.amount), paidAt: calendar.instantAt(p.paidDayOffset), cardLast4: p.cardLast4 });
    }
  }
  await em.flush();
}
