import { PortableMigration } from '@clinic/service-kit';

const COLUMNS = [
  'circumstances', 'occurred_from', 'occurred_to', 'occurred_approximately', 'persons_concerned_approximate',
  'serious_risk_reasons', 'public_notice_at', 'public_notice_reason',
] as const;

/**
 * The incident register's content as the Commission d'accès à l'information lists it (issue 14):
 * the circumstances, the period or approximate date of the incident, whether the number of persons
 * is an estimate, the reasons behind the serious-risk assessment, and the notice to the public
 * (when, and why). Every column is optional: entries made before keep what they had.
 */
export class IncidentRegisterContent extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.alterTable('incident', (t) => {
        t.text('circumstances');
        t.datetime('occurred_from');
        t.datetime('occurred_to');
        t.text('occurred_approximately');
        t.boolean('persons_concerned_approximate');
        t.text('serious_risk_reasons');
        t.datetime('public_notice_at');
        t.text('public_notice_reason');
      }),
    );
  }

  override async down(): Promise<void> {
    // One plain statement per column: SQLite drops columns one at a time.
    for (const column of COLUMNS) this.addSql(`alter table incident drop column ${column}`);
  }
}
