import { MikroORM, type AnyEntity, type Constructor, type EntitySchema } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { ClinicLibSqlDriver } from './libsql-driver.js';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { PostgreSqlDriver, PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { SubgraphName } from '@clinic/schema';
import { databaseTarget, type DatabaseTarget } from './config.js';
import { SqlStatementCounter, countingLoggerFactory } from './sql-counter.js';

export interface MigrationEntry {
  name: string;
  class: Constructor<Migration>;
}

export interface DatabaseOptions {
  /** The owner of the database: a subgraph, or `audit` for the gateway's audit store. */
  service: SubgraphName | 'audit';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- MikroORM's schema list is heterogeneous
  entities: EntitySchema<any, any>[];
  migrations: MigrationEntry[];
  target?: DatabaseTarget;
  /** Where MikroORM's own messages (migrations, debug SQL) go. */
  log?: (message: string) => void;
}

/** One service's database: MikroORM on SQLite (embedded default) or PostgreSQL. */
export class Database {
  private constructor(
    readonly orm: MikroORM<AbstractSqlDriver>,
    readonly target: DatabaseTarget,
    /** Every SQL statement this database has run, for N+1 checks. */
    readonly statements: SqlStatementCounter,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    const target = options.target ?? databaseTarget(options.service);
    const statements = new SqlStatementCounter();
    const common = {
      entities: options.entities,
      extensions: [Migrator],
      migrations: {
        tableName: `${options.service}_migrations`,
        migrationsList: options.migrations,
        transactional: true,
        allOrNothing: true,
        snapshot: false,
      },
      allowGlobalContext: false,
      debug: process.env.SQL_DEBUG === '1',
      loggerFactory: countingLoggerFactory(statements),
      logger: options.log ?? (() => undefined),
      // Dates are stored and returned in UTC; the clinic time zone is applied by the calendar only.
      forceUtcTimezone: true,
    };
    const orm =
      target.kind === 'postgresql'
        ? await MikroORM.init({ ...common, driver: PostgreSqlDriver, clientUrl: target.url })
        : await MikroORM.init({ ...common, driver: ClinicLibSqlDriver, dbName: target.file });
    return new Database(orm as unknown as MikroORM<AbstractSqlDriver>, target, statements);
  }

  /** A fresh unit of work for one request or one job. */
  fork(): SqlEntityManager {
    return this.orm.em.fork() as SqlEntityManager;
  }

  /** Applies pending migrations; schema changes never come from schema sync. */
  async migrate(): Promise<void> {
    await this.orm.getMigrator().up();
  }

  /** Drops every table of this service, migrations table included (for `seed --reset` and tests). */
  async dropAll(): Promise<void> {
    await this.orm.getSchemaGenerator().dropSchema({ dropMigrationsTable: true });
  }

  async isReachable(): Promise<boolean> {
    try {
      return await this.orm.isConnected();
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.orm.close(true);
  }
}

/**
 * A subquery answering the texts of a JSON array bound as its one value (`?`): a statement that
 * asks for any number of ids binds one value, so its text is the same whatever their number.
 */
export function jsonTextsSubquery(em: SqlEntityManager): string {
  return em.getPlatform() instanceof PostgreSqlPlatform ? 'select json_array_elements_text(cast(? as json))' : 'select value from json_each(?)';
}

export type { SqlEntityManager, AnyEntity };
