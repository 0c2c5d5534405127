import { PortableMigration } from '@clinic/service-kit';

export class CreateEmployee extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.createTable('employee', (t) => {
        t.string('id').primary();
        t.string('first_name').notNullable();
        t.string('last_name').notNullable();
        t.string('job_title');
        t.string('role').notNullable();
        t.string('work_email');
        t.string('work_phone');
        t.string('home_address');
        t.string('personal_phone');
        t.string('date_of_birth');
        t.string('hire_date').notNullable();
        t.string('termination_date');
        t.string('social_insurance_number');
        t.double('salary');
        t.string('bank_account');
        t.index(['last_name', 'first_name', 'id']);
      }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('employee'));
  }
}
