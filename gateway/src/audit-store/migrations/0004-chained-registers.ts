import { PortableMigration } from '@clinic/service-kit';

/** Append-only, hash-chained registers beside the audit log (disclosures, incident history, review sign-offs). */
export class ChainedRegisters extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .createTable('register_entry', (t) => {
          t.string('register').notNullable();
          t.integer('seq').notNullable();
          t.string('id').notNullable().unique();
          t.datetime('at').notNullable();
          t.string('subject_id');
          t.json('entry').notNullable();
          t.string('prev_hash').notNullable();
          t.string('hash').notNullable();
          t.primary(['register', 'seq']);
          t.index(['register', 'subject_id']);
        })
        .createTable('register_head', (t) => {
          t.string('register').primary();
          t.integer('last_seq').notNullable();
          t.string('last_hash').notNullable();
        }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('register_head').dropTableIfExists('register_entry'));
  }
}
