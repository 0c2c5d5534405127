import { PortableMigration } from '@clinic/service-kit';

/**
 * What the gateway's watch over allowed reads needs of a record (issue 15): the privacy officer's
 * "sensitive" flag (with why, who and when), and the employee the record belongs to when a staff
 * member is also a patient of the clinic (linked at registration, never guessed from names).
 */
export class WatchedRecords extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.alterTable('patient', (t) => {
        t.boolean('sensitive').notNullable().defaultTo(false);
        t.text('sensitive_reason');
        t.string('sensitive_marked_by');
        t.datetime('sensitive_marked_at');
        t.string('employee_id').index();
      }),
    );
  }

  override async down(): Promise<void> {
    // Plain SQL: knex drops a SQLite column by rebuilding the table, which its SQL text does not carry.
    this.addSql('drop index if exists patient_employee_id_index');
    for (const column of ['employee_id', 'sensitive_marked_at', 'sensitive_marked_by', 'sensitive_reason', 'sensitive']) this.addSql(`alter table patient drop column ${column}`);
  }
}
