import { PortableMigration } from '@clinic/service-kit';

/** Retention runs and the destruction record (SPEC §11): what kind of item, how many, when, by whom, which rule. */
export class DestructionRecords extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .createTable('retention_run', (t) => {
          t.string('id').primary();
          t.datetime('started_at').notNullable();
          t.datetime('finished_at');
          t.string('run_by').notNullable();
          t.string('run_by_role').notNullable();
          t.string('status').notNullable();
        })
        .createTable('destruction_record', (t) => {
          t.string('id').primary();
          t.string('run_id').notNullable().references('id').inTable('retention_run').index();
          t.string('rule').notNullable();
          t.string('item_kind').notNullable();
          t.string('action').notNullable();
          t.integer('item_count').notNullable();
          t.string('source').notNullable();
          t.datetime('destroyed_at').notNullable().index();
          t.string('destroyed_by').notNullable();
          t.string('destroyed_by_role').notNullable();
        }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('destruction_record').dropTableIfExists('retention_run'));
  }
}
