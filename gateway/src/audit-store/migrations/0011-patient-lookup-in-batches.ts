import { PortableMigration } from '@clinic/service-kit';

/**
 * Issue 11, an append that costs little: the patient index moves out of `audit_event_patient`
 * into `audit_patient_lookup`, keyed by patient, and is filled in batches after the appends
 * (audit-store/patient-lookup.ts) instead of by every append. An index keyed by patient scatters
 * an event's patients over as many pages as it names, which every commit then wrote (the most
 * costly part of an append); `audit_event_patient`, written by the append in event order, stays
 * the complete mirror the chain is verified against. `patients_indexed_upto` on the chain head says
 * how far the lookup goes; look-ups read the events after it from `audit_event_patient`.
 */
export class PatientLookupInBatches extends PortableMigration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const postgres = this.onPostgres();
    // Keyed by patient, nothing else: on SQLite without a rowid, so the key is the table.
    if (postgres) {
      this.schema((s) =>
        s.createTable('audit_patient_lookup', (t) => {
          t.string('patient_id').notNullable();
          t.integer('event_seq').notNullable();
          t.primary(['patient_id', 'event_seq']);
        }),
      );
    } else {
      this.addSql(knex.raw('create table `audit_patient_lookup` (`patient_id` varchar(255) not null, `event_seq` integer not null, primary key (`patient_id`, `event_seq`)) without rowid'));
    }
    this.schema((s) =>
      s.alterTable('audit_chain_head', (t) => {
        t.integer('patients_indexed_upto').notNullable().defaultTo(0);
      }),
    );
    this.addSql(knex.raw('insert into audit_patient_lookup (patient_id, event_seq) select patient_id, event_seq from audit_event_patient'));
    this.addSql(knex.raw('update audit_chain_head set patients_indexed_upto = last_seq'));
    this.schema((s) => s.alterTable('audit_event_patient', (t) => t.dropIndex(['patient_id', 'event_seq'])));
  }

  override async down(): Promise<void> {
    this.schema((s) => s.alterTable('audit_event_patient', (t) => t.index(['patient_id', 'event_seq'])).dropTableIfExists('audit_patient_lookup'));
    // Plain SQL: knex drops a SQLite column by rebuilding the table outside this migration's statements.
    this.addSql(this.getKnex().raw('alter table audit_chain_head drop column patients_indexed_upto'));
  }
}
