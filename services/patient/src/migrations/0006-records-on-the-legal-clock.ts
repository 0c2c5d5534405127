import { PortableMigration } from '@clinic/service-kit';

/**
 * Issue 14: the record's last entry (what makes it active, seed 002), legal holds, and the
 * register of the patients' requests on the legal clock (Law 25 s. 32).
 */
export class RecordsOnTheLegalClock extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.alterTable('patient', (t) => {
        t.datetime('last_entry_at');
      }),
    );
    // Until now only the last visit was known: it is the best last entry there is.
    this.addSql('update patient set last_entry_at = last_visit_at');
    this.schema((s) =>
      s.createTable('legal_hold', (t) => {
        t.string('id').primary();
        t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
        t.text('reason').notNullable();
        t.string('placed_by').notNullable();
        t.datetime('placed_at').notNullable();
        t.text('lift_reason');
        t.string('lifted_by');
        t.datetime('lifted_at');
      }),
    );
    this.schema((s) =>
      s.createTable('record_request', (t) => {
        t.string('id').primary();
        t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
        t.string('kind').notNullable();
        t.string('channel').notNullable();
        t.string('filed_by').notNullable();
        t.text('details');
        t.datetime('received_at').notNullable();
        t.datetime('due_at').notNullable();
        t.string('status').notNullable();
        t.datetime('decided_at');
        t.string('decided_by');
        t.text('decision_reason');
        t.index(['status', 'due_at']);
      }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('record_request'));
    this.schema((s) => s.dropTableIfExists('legal_hold'));
    // Plain SQL: both SQLite (3.35+) and PostgreSQL drop a column in place.
    this.addSql('alter table patient drop column last_entry_at');
  }
}
