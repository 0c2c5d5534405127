import { PortableMigration } from '@clinic/service-kit';

/**
 * The privacy officer's review queue (issue 15): items opened by the watch over allowed reads, by
 * emergency accesses (issue 14: no longer incidents by default) and by repeated refusals. One item
 * per case: `case_key` is unique, so detectors on several replicas cannot open it twice.
 */
export class ReviewQueue extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.createTable('review_item', (t) => {
        t.string('id').primary();
        t.string('kind').notNullable();
        t.string('case_key').notNullable().unique();
        t.datetime('opened_at').notNullable();
        t.string('actor_id').index();
        t.json('patient_ids').notNullable();
        t.text('trigger').notNullable();
        t.string('status').notNullable();
        t.string('outcome');
        t.text('note');
        t.string('closed_by');
        t.datetime('closed_at');
        t.string('emergency_access_id');
        t.string('incident_id');
        t.index(['status', 'opened_at']);
      }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('review_item'));
  }
}
