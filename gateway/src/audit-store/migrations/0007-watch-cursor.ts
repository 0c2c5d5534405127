import { PortableMigration } from '@clinic/service-kit';

/**
 * Where the watch over allowed reads stands in the audit log: the `seq` of the last event it read.
 * It starts at the beginning, so a database upgraded with history is watched from its first event
 * (one item per case: reading twice opens nothing twice).
 */
export class WatchCursorTable extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.createTable('watch_cursor', (t) => {
        t.integer('id').primary();
        t.integer('last_seq').notNullable();
      }),
    );
    this.addSql(this.getKnex()('watch_cursor').insert({ id: 1, last_seq: 0 }));
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('watch_cursor'));
  }
}
