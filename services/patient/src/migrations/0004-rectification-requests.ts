import { PortableMigration } from '@clinic/service-kit';

/** Patients' correction requests (SPEC §10: rectification), decided by the privacy officer. */
export class RectificationRequests extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.createTable('rectification_request', (t) => {
        t.string('id').primary();
        t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
        t.string('field').notNullable();
        t.text('proposed_value').notNullable();
        t.text('reason').notNullable();
        t.string('status').notNullable();
        t.datetime('requested_at').notNullable();
        t.datetime('decided_at');
        t.string('decided_by');
        t.text('decision_reason');
        t.index(['status', 'requested_at']);
      }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('rectification_request'));
  }
}
