import { PortableMigration } from '@clinic/service-kit';

/**
 * Issue 15, the audit log as an investigator needs it: every event records the version of the
 * rules that decided it (`rules_version`) and, for the privacy officer's own searches and exports,
 * what they asked for (`filters`); both are chained by format-3 hashes, older events keep theirs.
 * The fields an event names get an index of their own (`audit_event_field`, a mirror of the
 * chained `fields`, like `audit_event_patient`), so a search by field is an index look-up; time
 * ranges and decisions get theirs.
 */
export class RulesVersionAndSearchableFields extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .alterTable('audit_event', (t) => {
          t.string('rules_version');
          t.text('filters');
          t.index(['at']);
          t.index(['decision', 'reason']);
        })
        .createTable('audit_event_field', (t) => {
          t.integer('event_seq').notNullable();
          t.string('field').notNullable();
          t.primary(['event_seq', 'field']);
          t.index(['field', 'event_seq']);
        }),
    );
    const knex = this.getKnex();
    const postgres = this.onPostgres();
    this.addSql(
      knex.raw(
        postgres
          ? 'insert into audit_event_field (event_seq, field) select distinct e.seq, f.value from audit_event e, json_array_elements_text(e.fields) f(value)'
          : 'insert into audit_event_field (event_seq, field) select distinct e.seq, f.value from audit_event e, json_each(e.fields) f',
      ),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('audit_event_field'));
    // Plain SQL: both SQLite (3.35+) and PostgreSQL drop an index and a column in place.
    this.addSql('drop index audit_event_decision_reason_index');
    this.addSql('drop index audit_event_at_index');
    this.addSql('alter table audit_event drop column filters');
    this.addSql('alter table audit_event drop column rules_version');
  }
}
