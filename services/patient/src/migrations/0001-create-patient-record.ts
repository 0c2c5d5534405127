import { PortableMigration } from '@clinic/service-kit';

export class CreatePatientRecord extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .createTable('patient', (t) => {
          t.string('id').primary();
          t.string('first_name').notNullable();
          t.string('last_name').notNullable();
          t.string('date_of_birth');
          t.string('sex');
          t.string('phone');
          t.string('email');
          t.string('address');
          t.string('health_insurance_number');
          t.datetime('last_visit_at');
          t.boolean('appointment_reminders').notNullable();
          t.boolean('newsletter').notNullable();
          t.index(['last_name', 'first_name', 'id']);
        })
        .createTable('allergy', (t) => {
          t.increments('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('substance').notNullable();
        })
        .createTable('medication', (t) => {
          t.increments('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('name').notNullable();
          t.string('dosage');
        })
        .createTable('diagnosis', (t) => {
          t.increments('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('code').notNullable();
          t.string('description');
          t.datetime('recorded_at');
        })
        .createTable('vital', (t) => {
          t.increments('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('kind').notNullable();
          t.string('value').notNullable();
          t.datetime('recorded_at').notNullable();
        })
        .createTable('medical_document', (t) => {
          t.string('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('kind').notNullable();
          t.string('title');
          t.datetime('created_at').notNullable();
        })
        .createTable('clinical_note', (t) => {
          t.string('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('author_id').notNullable();
          t.text('text').notNullable();
          t.datetime('written_at').notNullable();
        })
        .createTable('appointment', (t) => {
          t.string('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('practitioner_id').notNullable().index();
          t.datetime('starts_at').notNullable().index();
          t.string('reason');
          t.string('status').notNullable();
        })
        .createTable('care_assignment', (t) => {
          t.increments('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('employee_id').notNullable().index();
          t.string('kind').notNullable();
          t.datetime('since').notNullable();
          t.datetime('until');
        })
        .createTable('referral', (t) => {
          t.increments('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('consultant_id').notNullable().index();
          t.string('referred_by_id').notNullable();
          t.string('reason');
          t.datetime('since').notNullable();
          t.datetime('until');
        })
        .createTable('access_restriction', (t) => {
          t.string('id').primary();
          t.string('patient_id').notNullable().references('id').inTable('patient').onDelete('cascade').index();
          t.string('employee_id');
          t.string('role');
          t.json('fields').notNullable();
          t.text('reason');
          t.datetime('starts_at').notNullable();
          t.datetime('ends_at');
          t.boolean('lifted').notNullable();
        }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) =>
      ['access_restriction', 'referral', 'care_assignment', 'appointment', 'clinical_note', 'medical_document', 'vital', 'diagnosis', 'medication', 'allergy', 'patient'].reduce(
        (builder, table) => builder.dropTableIfExists(table),
        s,
      ),
    );
  }
}
