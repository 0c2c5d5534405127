import { PortableMigration } from '@clinic/service-kit';

/**
 * Issue 11, an append that costs little: the index of events by field (searches by field) is filled
 * in batches after the appends, with the patient lookup and up to the same mark, instead of by
 * every append (three B-trees, one page per field an event names, in every commit). The fields stay
 * where the chain has them, in the event's `fields`; `audit_event_field` becomes their view, one row
 * per event and field, and `audit_field_lookup`, keyed by field, is the index. Look-ups read the
 * lookup up to the mark and the few events after it from the view (event-lookups.ts).
 */
export class FieldLookupInBatches extends PortableMigration {
  override async up(): Promise<void> {
    const postgres = this.onPostgres();
    if (postgres) {
      this.schema((s) =>
        s.createTable('audit_field_lookup', (t) => {
          t.string('field').notNullable();
          t.integer('event_seq').notNullable();
          t.primary(['field', 'event_seq']);
        }),
      );
    } else {
      this.addSql('create table `audit_field_lookup` (`field` varchar(255) not null, `event_seq` integer not null, primary key (`field`, `event_seq`)) without rowid');
    }
    // Only up to the mark: the events after it are read from their rows until the next batch.
    this.addSql(
      'insert into audit_field_lookup (field, event_seq) select field, event_seq from audit_event_field where event_seq <= (select h.patients_indexed_upto from audit_chain_head h where h.id = 1)',
    );
    this.addSql('drop table audit_event_field');
    // A list altered into something that is not a JSON array names no field in the view (its event
    // then fails verification), rather than failing every read of it.
    this.addSql(
      postgres
        ? "create view audit_event_field as select e.seq as event_seq, f.value as field from audit_event e cross join lateral json_array_elements_text(case when json_typeof(e.fields) = 'array' then e.fields else '[]'::json end) as f(value)"
        : "create view `audit_event_field` (`event_seq`, `field`) as select e.`seq`, j.`value` from `audit_event` e, " +
            "json_each(case when not json_valid(e.`fields`) then '[]' when json_type(e.`fields`) = 'array' then e.`fields` else '[]' end) j",
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop view audit_event_field');
    this.schema((s) =>
      s.createTable('audit_event_field', (t) => {
        t.integer('event_seq').notNullable();
        t.string('field').notNullable();
        t.primary(['event_seq', 'field']);
        t.index(['field', 'event_seq']);
      }),
    );
    this.addSql(
      this.onPostgres()
        ? 'insert into audit_event_field (event_seq, field) select distinct e.seq, f.value from audit_event e cross join lateral json_array_elements_text(e.fields) as f(value)'
        : 'insert into audit_event_field (event_seq, field) select distinct e.seq, j.value from audit_event e, json_each(e.fields) j',
    );
    this.addSql('drop table audit_field_lookup');
  }
}
