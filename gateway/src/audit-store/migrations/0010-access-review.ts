import { PortableMigration } from '@clinic/service-kit';

/**
 * The yearly access review (issue 15): employees' two-factor use by day, and an index for the
 * review's look-ups of each employee's events over a period (last activity, refusals).
 */
export class AccessReview extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .createTable('staff_sign_in_day', (t) => {
          t.string('employee_id').notNullable();
          t.string('day').notNullable();
          t.boolean('mfa').notNullable();
          t.datetime('first_at').notNullable();
          t.primary(['employee_id', 'day', 'mfa']);
        })
        .alterTable('audit_event', (t) => {
          t.index(['actor_id', 'at'], 'audit_event_actor_at_index');
        }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.alterTable('audit_event', (t) => t.dropIndex(['actor_id', 'at'], 'audit_event_actor_at_index')).dropTableIfExists('staff_sign_in_day'));
  }
}
