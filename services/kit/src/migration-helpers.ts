import { Migration } from '@mikro-orm/migrations';
import type { Knex } from '@mikro-orm/knex';

/**
 * Migrations are written once with knex's schema builder, so the same file runs on SQLite and
 * PostgreSQL. Each statement is added on its own: SQLite drivers run one statement per call.
 */
export abstract class PortableMigration extends Migration {
  protected schema(build: (schema: Knex.SchemaBuilder) => Knex.SchemaBuilder): void {
    for (const statement of build(this.getKnex().schema).toSQL()) {
      this.addSql(this.getKnex().raw(statement.sql, statement.bindings ?? []));
    }
  }

  /** Whether this migration runs on PostgreSQL (else SQLite), for the few statements the two write differently. */
  protected onPostgres(): boolean {
    return String((this.getKnex().client as { dialect?: string }).dialect).startsWith('postgres');
  }
}
