import { PortableMigration } from '@clinic/service-kit';
import { GENESIS_HASH } from '../chain-hash.js';

export class CreateAuditStore extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s
        .createTable('audit_event', (t) => {
          t.integer('seq').primary();
          t.string('id').notNullable().unique();
          t.datetime('at').notNullable();
          t.string('actor_id').index();
          t.string('role');
          t.string('patient_id').index();
          t.json('fields').notNullable();
          t.string('decision').notNullable();
          t.string('reason');
          t.string('emergency_access_id');
          t.string('operation_name');
          t.string('client_name');
          t.string('request_id');
          t.string('prev_hash').notNullable();
          t.string('hash').notNullable();
          t.index(['actor_id', 'decision', 'at']);
        })
        .createTable('audit_chain_head', (t) => {
          t.integer('id').primary();
          t.integer('last_seq').notNullable();
          t.string('last_hash').notNullable();
        })
        .createTable('emergency_access', (t) => {
          t.string('id').primary();
          t.string('patient_id').notNullable().index();
          t.string('granted_to').notNullable().index();
          t.string('role').notNullable();
          t.text('justification').notNullable();
          t.datetime('opened_at').notNullable();
          t.datetime('expires_at').notNullable();
        })
        .createTable('incident', (t) => {
          t.string('id').primary();
          t.string('kind').notNullable();
          t.text('description');
          t.datetime('occurred_at');
          t.datetime('discovered_at');
          t.json('categories').notNullable();
          t.integer('persons_concerned');
          t.boolean('serious_risk');
          t.datetime('cai_notified_at');
          t.datetime('persons_notified_at');
          t.text('measures');
          t.string('status').notNullable();
          t.string('actor_id').index();
          t.string('emergency_access_id');
          t.datetime('created_at').notNullable();
        }),
    );
    this.addSql(this.getKnex().insert({ id: 1, last_seq: 0, last_hash: GENESIS_HASH }).into('audit_chain_head'));
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTableIfExists('incident').dropTableIfExists('emergency_access').dropTableIfExists('audit_chain_head').dropTableIfExists('audit_event'));
  }
}
