import type { AnyEntity, Configuration, EntityData, LoggingOptions, QueryResult, Transaction } from '@mikro-orm/core';
import { AbstractSqlDriver, LibSqlConnection, LibSqlKnexDialect, LibSqlPlatform, type Knex } from '@mikro-orm/libsql';
import { boundParameters } from './bound-parameters.js';

/** How many prepared statements one connection keeps (the oldest goes first). */
export const PREPARED_PER_CONNECTION = 256;

interface RawConnection {
  prepare(sql: string): unknown;
  exec(sql: string): unknown;
}

/**
 * Set on every connection as it opens. SQLite keeps them per connection, and the pool replaces its
 * connection every ten seconds (MikroORM's libsql dialect), so setting them once after start-up
 * lost them ten seconds later.
 */
/** How long a connection waits for a lock another connection holds before it fails. */
export const BUSY_TIMEOUT_MS = 10_000;

export const CONNECTION_PRAGMAS = [
  // Several processes may share one file (two gateway replicas on the audit store): wait for the
  // write lock instead of failing.
  `busy_timeout = ${BUSY_TIMEOUT_MS}`,
  // Readers work beside the writer (kept in the file; set again, harmlessly).
  'journal_mode = wal',
  // Deleted rows are overwritten in the file, not only unlinked (issue 14: destroyed means unrecoverable).
  'secure_delete = on',
  'foreign_keys = on',
];

/**
 * Keeps a connection's prepared statements by SQL text, so that a statement run on every request
 * is parsed and planned once, not on every run: MikroORM's libsql dialect prepares each query
 * anew, which for the patient subgraph's access-facts statement costs as much as running it.
 * Safe to share: the dialect only ever runs a statement to completion (`all` or `run`, both
 * synchronous in libsql) and sets no mode on it, and SQLite re-prepares a statement by itself when
 * the schema changes under it (a migration).
 */
export function keepPreparedStatements<C extends Pick<RawConnection, 'prepare'>>(connection: C, kept = PREPARED_PER_CONNECTION): C {
  const prepare = connection.prepare.bind(connection);
  const statements = new Map<string, unknown>();
  connection.prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (statements.size >= kept) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };
  return connection;
}

class ClinicLibSqlDialect extends LibSqlKnexDialect {
  override async acquireRawConnection(): Promise<unknown> {
    const connection = (await super.acquireRawConnection()) as RawConnection;
    for (const pragma of CONNECTION_PRAGMAS) connection.exec(`pragma ${pragma}`);
    return keepPreparedStatements(connection);
  }
}

class ClinicLibSqlConnection extends LibSqlConnection {
  override createKnex(): void {
    this.client = this.createKnexClient(ClinicLibSqlDialect as unknown as string);
    this.connected = true;
  }

  /**
   * MikroORM's, with the parameters bound rather than written into the text whenever that reads
   * the same (bound-parameters.ts): the text is then the same on every run, and so is the
   * statement this connection keeps prepared for it.
   */
  override async execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[]>(
    queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
    params: unknown[] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    const bindable = typeof queryOrKnex === 'string' && params.length > 0 ? boundParameters(queryOrKnex, params) : undefined;
    // MikroORM's own path (which applies `onQuery` itself) for anything binding would not read the same.
    if (typeof queryOrKnex !== 'string' || bindable === undefined) return super.execute<T>(queryOrKnex, params, method, ctx, loggerContext);
    const query = this.config.get('onQuery')(queryOrKnex, params);
    const bound = query === queryOrKnex ? bindable : boundParameters(query, params);
    if (bound === undefined) throw new Error('SQLite: the onQuery hook made a statement whose parameters cannot be bound');
    await this.ensureConnection();
    return this.executeQuery<T>(
      this.loggedSql(query, params, loggerContext),
      async () => {
        const raw = this.getKnex().raw(query, bound as Knex.RawBinding[]);
        if (ctx) raw.transacting(ctx);
        return this.transformRawResult<T>(await raw, method);
      },
      { query, params, ...loggerContext },
    );
  }

  /** What MikroORM logs for a statement (as its private `getSql`): the values written in only when the log shows them. */
  private loggedSql(query: string, params: unknown[], context: LoggingOptions | undefined): string {
    const logger = this.config.getLogger();
    if (!logger.isEnabled('query', context)) return query;
    return logger.isEnabled('query-params', context) ? this.platform.formatQuery(query, params) : query;
  }
}

/** MikroORM's libsql driver (as `LibSqlDriver` builds it), every connection with the clinic's pragmas and keeping its prepared statements. */
export class ClinicLibSqlDriver extends AbstractSqlDriver<LibSqlConnection> {
  constructor(config: Configuration) {
    super(config, new LibSqlPlatform(), ClinicLibSqlConnection, ['knex', 'libsql']);
  }
}
