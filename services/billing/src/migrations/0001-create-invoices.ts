import { PortableMigration } from '@clinic/service-kit';

export class CreateInvoices extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .createTable('invoice', (t) => {
          t.string('id').primary();
          t.string('patient_id').notNullable().index();
          t.string('service_date').notNullable();
          t.string('ramq_billing_code');
          t.string('diagnosis_code');
          t.string('description');
          t.integer('amount_cents').notNullable();
          t.string('status').notNullable();
        })
        .createTable('payment', (t) => {
          t.increments('id').primary();
          t.string('invoice_id').notNullable().references('id').inTable('invoice').onDelete('cascade').index();
          t.string('method').notNullable();
          t.integer('amount_cents').notNullable();
          t.datetime('paid_at');
          t.string('card_last4');
        }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('payment').dropTableIfExists('invoice'));
  }
}
