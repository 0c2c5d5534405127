import { PortableMigration, searchableName } from '@clinic/service-kit';

/** Rows per backfill statement: 3 bindings each, far below SQLite's and PostgreSQL's limits. */
const BACKFILL_BATCH = 200;

/**
 * Patients are searched on `search_name`: first and last name folded in JavaScript (lower case,
 * no diacritics), so that `Query.patients(search:)` is case- and accent-insensitive, with a plain
 * LIKE, identically on SQLite and PostgreSQL. The entity keeps it up to date; existing rows are
 * filled here. No index: a B-tree index serves no `%word%` LIKE on either database.
 */
export class PatientSearchName extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.alterTable('patient', (t) => {
        t.text('search_name').notNullable().defaultTo('');
      }),
    );
    // Runs before the statements above (in the same transaction), on the table as it is now.
    const rows = (await this.execute('select id, first_name, last_name from patient order by id')) as { id: string; first_name: string; last_name: string }[];
    for (let start = 0; start < rows.length; start += BACKFILL_BATCH) {
      const batch = rows.slice(start, start + BACKFILL_BATCH);
      const bindings = [...batch.flatMap((r) => [r.id, searchableName(r.first_name, r.last_name)]), ...batch.map((r) => r.id)];
      this.addSql(
        this.getKnex().raw(
          `update patient set search_name = case id ${batch.map(() => 'when ? then ?').join(' ')} end where id in (${batch.map(() => '?').join(', ')})`,
          bindings,
        ),
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql('alter table patient drop column search_name');
  }
}
