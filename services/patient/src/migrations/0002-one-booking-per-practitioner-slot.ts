import { PortableMigration } from '@clinic/service-kit';

/**
 * A practitioner has at most one booked appointment per start instant, enforced by the database:
 * two concurrent bookings can both pass the resolver's check before either is written.
 * Partial unique indexes read the same on SQLite and PostgreSQL; cancelled appointments free the slot.
 */
export class OneBookingPerPractitionerSlot extends PortableMigration {
  override async up(): Promise<void> {
    this.addSql(`create unique index appointment_booked_practitioner_slot_unique on appointment (practitioner_id, starts_at) where status = 'BOOKED'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index appointment_booked_practitioner_slot_unique');
  }
}
