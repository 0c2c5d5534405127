import { PortableMigration } from '@clinic/service-kit';

/**
 * Issue 14: a restriction records who asked for it, when, and the request it came from; a request
 * of kind RESTRICTION carries the restriction asked for; every decided request says what it did;
 * a rectification request says how it was received (portal or paper) and who filed it.
 * Restrictions of a database that existed before were all made by the privacy officer.
 */
export class RestrictionRequests extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.alterTable('access_restriction', (t) => {
        t.string('requested_by').nullable();
        t.string('requested_by_id').nullable();
        t.datetime('requested_at').nullable();
        t.string('request_id').nullable();
      }),
    );
    this.addSql("update access_restriction set requested_by = 'PRIVACY_OFFICER', requested_at = starts_at where requested_by is null");
    this.schema((s) =>
      s.alterTable('record_request', (t) => {
        t.json('restriction').nullable();
        t.text('outcome').nullable();
      }),
    );
    this.schema((s) =>
      s.alterTable('rectification_request', (t) => {
        t.string('channel').nullable();
        t.string('filed_by').nullable();
      }),
    );
    this.addSql("update rectification_request set channel = 'PORTAL', filed_by = patient_id where channel is null");
  }

  override async down(): Promise<void> {
    // Plain SQL: both SQLite (3.35+) and PostgreSQL drop a column in place.
    for (const column of ['requested_by', 'requested_by_id', 'requested_at', 'request_id']) this.addSql(`alter table access_restriction drop column ${column}`);
    for (const column of ['restriction', 'outcome']) this.addSql(`alter table record_request drop column ${column}`);
    for (const column of ['channel', 'filed_by']) this.addSql(`alter table rectification_request drop column ${column}`);
  }
}
