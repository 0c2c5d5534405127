import { PortableMigration } from '@clinic/service-kit';

/**
 * Care assignments that end by themselves: `renewed_at` is when the assignment was last confirmed;
 * an assignment not renewed within the clinic's lifetime (care-relationships.ts) lapses. Open
 * assignments of a database that existed before are counted as renewed at the upgrade, so that
 * deploying this does not end every physician's duty at once.
 */
export class CareRelationshipRenewal extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.alterTable('care_assignment', (t) => {
        t.datetime('renewed_at').nullable();
      }),
    );
    this.addSql(this.getKnex()('care_assignment').whereNull('until').update({ renewed_at: new Date() }));
  }

  override async down(): Promise<void> {
    // Plain SQL: knex drops a SQLite column by rebuilding the table, which its SQL text does not carry.
    this.addSql('alter table care_assignment drop column renewed_at');
  }
}
