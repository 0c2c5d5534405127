import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PortableMigration } from './migration-helpers.js';

/** When this service's database was seeded with the demo clinic (day offsets are relative to it). */
export const SeedState = defineEntity({
  name: 'SeedState',
  tableName: 'seed_state',
  properties: (p) => ({
    service: p.string().primary(),
    seededAt: p.datetime(),
  }),
});
export type SeedState = InferEntity<typeof SeedState>;

export class CreateSeedState extends PortableMigration {
  override async up(): Promise<void> {
    this.schema((s) =>
      s.createTable('seed_state', (t) => {
        t.string('service').primary();
        t.datetime('seeded_at').notNullable();
      }),
    );
  }

  override async down(): Promise<void> {
    this.schema((s) => s.dropTable('seed_state'));
  }
}
