import { PortableMigration } from '@clinic/service-kit';

/**
 * Issue 11, an append that costs little: the index by patient holds one row per patient and batch
 * of the lookup (`audit_patient_posting`: the patient, the last event of the batch naming them, and
 * the events of the batch naming them, a JSON array) instead of one row per patient and event. A
 * batch of 32 events that name the same 500 patients wrote 16,000 rows scattered over a B-tree
 * keyed by patient, most of the writer's work for a list of 500; it now writes 500.
 * `audit_patient_lookup` becomes the view of the postings, one row per patient and event, so what
 * the look-ups and the chain check read does not change. An altered array that is not a JSON
 * array of events names none in the view (the events it misdirected then fail verification).
 */
export class PatientLookupAsPostings extends PortableMigration {
  override async up(): Promise<void> {
    const postgres = this.onPostgres();
    if (postgres) {
      this.addSql('create table audit_patient_posting (patient_id varchar(255) not null, last_seq integer not null, event_seqs json not null, primary key (patient_id, last_seq))');
      this.addSql(
        'insert into audit_patient_posting (patient_id, last_seq, event_seqs) select patient_id, max(event_seq), json_agg(event_seq order by event_seq) from audit_patient_lookup group by patient_id',
      );
      this.addSql('drop table audit_patient_lookup');
      this.addSql(
        'create view audit_patient_lookup as select l.patient_id, s.value::integer as event_seq from audit_patient_posting l ' +
          "cross join lateral json_array_elements_text(case when json_typeof(l.event_seqs) = 'array' then l.event_seqs else '[]'::json end) as s(value) where s.value ~ '^[0-9]{1,9}$'",
      );
    } else {
      this.addSql('create table `audit_patient_posting` (`patient_id` varchar(255) not null, `last_seq` integer not null, `event_seqs` text not null, primary key (`patient_id`, `last_seq`)) without rowid');
      this.addSql(
        'insert into audit_patient_posting (patient_id, last_seq, event_seqs) select patient_id, max(event_seq), json_group_array(event_seq) from (select patient_id, event_seq from audit_patient_lookup order by patient_id, event_seq) group by patient_id',
      );
      this.addSql('drop table audit_patient_lookup');
      this.addSql(
        'create view `audit_patient_lookup` (`patient_id`, `event_seq`) as select l.`patient_id`, j.`value` from `audit_patient_posting` l, ' +
          "json_each(case when not json_valid(l.`event_seqs`) then '[]' when json_type(l.`event_seqs`) = 'array' then l.`event_seqs` else '[]' end) j",
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop view audit_patient_lookup');
    if (this.onPostgres()) {
      this.addSql('create table audit_patient_lookup (patient_id varchar(255) not null, event_seq integer not null, primary key (patient_id, event_seq))');
      this.addSql(
        'insert into audit_patient_lookup (patient_id, event_seq) select distinct l.patient_id, s.value::integer from audit_patient_posting l cross join lateral json_array_elements_text(l.event_seqs) as s(value)',
      );
    } else {
      this.addSql('create table `audit_patient_lookup` (`patient_id` varchar(255) not null, `event_seq` integer not null, primary key (`patient_id`, `event_seq`)) without rowid');
      this.addSql('insert into audit_patient_lookup (patient_id, event_seq) select distinct l.patient_id, j.value from audit_patient_posting l, json_each(l.event_seqs) j');
    }
    this.addSql('drop table audit_patient_posting');
  }
}
