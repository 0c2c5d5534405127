import { PortableMigration } from '@clinic/service-kit';

/**
 * Issue 11, an append that costs little: the patients an event names move into the event's own row
 * (`patient_ids`, a JSON array, sorted), so an append writes one row per event instead of one more
 * per patient in a second table (two more B-trees, a page per few dozen patients, in every commit).
 * `audit_event_patient` becomes a view of those arrays, one row per event and patient, for the
 * readers that expand events by patient (the lookup's batches, the look-up of the events after its
 * mark, the read watch, repeated refusals). The chain does not change: the hash always covered the
 * sorted patients, and now covers the column that holds them. Format-1 events get their one patient.
 */
export class PatientsInTheirEvent extends PortableMigration {
  override async up(): Promise<void> {
    // A list altered into something that is not a JSON array names no patient in the view (its event
    // then fails verification), rather than failing every read of it.
    if (this.onPostgres()) {
      this.addSql("alter table audit_event add column patient_ids json not null default '[]'");
      this.addSql(
        'update audit_event e set patient_ids = coalesce((select json_agg(p.patient_id order by p.patient_id collate "C") from audit_event_patient p where p.event_seq = e.seq), \'[]\'::json)',
      );
      this.addSql('drop table audit_event_patient');
      this.addSql(
        "create view audit_event_patient as select e.seq as event_seq, p.value as patient_id from audit_event e cross join lateral json_array_elements_text(case when json_typeof(e.patient_ids) = 'array' then e.patient_ids else '[]'::json end) as p(value)",
      );
    } else {
      this.addSql("alter table `audit_event` add column `patient_ids` text not null default '[]'");
      // The primary key (event_seq, patient_id) reads each event's patients in order.
      this.addSql(
        'update `audit_event` set `patient_ids` = coalesce((select json_group_array(`patient_id`) from (select p.`patient_id` from `audit_event_patient` p where p.`event_seq` = `audit_event`.`seq` order by p.`patient_id`)), \'[]\')',
      );
      this.addSql('drop table `audit_event_patient`');
      this.addSql(
        "create view `audit_event_patient` (`event_seq`, `patient_id`) as select e.`seq`, j.`value` from `audit_event` e, " +
          "json_each(case when not json_valid(e.`patient_ids`) then '[]' when json_type(e.`patient_ids`) = 'array' then e.`patient_ids` else '[]' end) j",
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop view audit_event_patient');
    this.schema((s) =>
      s.createTable('audit_event_patient', (t) => {
        t.integer('event_seq').notNullable();
        t.string('patient_id').notNullable();
        t.primary(['event_seq', 'patient_id']);
      }),
    );
    this.addSql(
      this.onPostgres()
        ? 'insert into audit_event_patient (event_seq, patient_id) select e.seq, p.value from audit_event e cross join lateral json_array_elements_text(e.patient_ids) as p(value)'
        : 'insert into audit_event_patient (event_seq, patient_id) select e.seq, j.value from audit_event e, json_each(e.patient_ids) j',
    );
    this.addSql('alter table audit_event drop column patient_ids');
  }
}
