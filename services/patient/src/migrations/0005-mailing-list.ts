import { PortableMigration } from '@clinic/service-kit';

/**
 * The clinic's mailing list (newsletter addresses), kept 36 months after subscription (SPEC §11).
 * An address may belong to a patient (subscribed through their communication consent) or to
 * someone who is not a patient; removing the patient's record removes the link, not the address.
 */
export class MailingList extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.createTable('mailing_list_subscription', (t) => {
        t.string('id').primary();
        t.string('email').notNullable();
        t.string('patient_id').references('id').inTable('patient').onDelete('set null').index();
        t.datetime('subscribed_at').notNullable().index();
      }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('mailing_list_subscription'));
  }
}
