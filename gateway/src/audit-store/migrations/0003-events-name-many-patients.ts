import { PortableMigration } from '@clinic/service-kit';

/**
 * One audit event per request and decision, naming many patients (issue 11): the patients move to
 * `audit_event_patient`, indexed by patient. Old events keep their column and their format-1 hash
 * (they still verify); they are copied into the new table, so one look-up finds old and new events.
 * Repeated-refusal detection gets its own row per reader, updated conditionally instead of locked.
 */
export class EventsNameManyPatients extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .createTable('audit_event_patient', (t) => {
          t.integer('event_seq').notNullable();
          t.string('patient_id').notNullable();
          t.primary(['event_seq', 'patient_id']);
          t.index(['patient_id', 'event_seq']);
        })
        .alterTable('audit_event', (t) => {
          t.integer('format').notNullable().defaultTo(1);
          t.string('client_request_id');
          t.dropIndex(['patient_id']);
        })
        .createTable('repeated_denial_watch', (t) => {
          t.string('actor_id').primary();
          t.datetime('incident_opened_at').notNullable();
        }),
    );
    const knex = this.getKnex();
    this.addSql(knex.raw('insert into audit_event_patient (event_seq, patient_id) select seq, patient_id from audit_event where patient_id is not null'));
    this.addSql(
      knex.raw(
        "insert into repeated_denial_watch (actor_id, incident_opened_at) select actor_id, max(created_at) from incident where kind = 'REPEATED_DENIALS' and actor_id is not null group by actor_id",
      ),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) =>
      s
        .dropTableIfExists('repeated_denial_watch')
        .alterTable('audit_event', (t) => {
          t.index(['patient_id']);
          t.dropColumn('client_request_id');
          t.dropColumn('format');
        })
        .dropTableIfExists('audit_event_patient'),
    );
  }
}
