/**
 * MikroORM runs every SQL statement with its parameters written into its text (`formatQuery`), so
 * the text changes with the values and SQLite parses and plans it again on every run: a prepared
 * statement is kept only for a text seen before (libsql-driver.ts). The clinic's SQLite
 * connection binds them instead whenever the bound value reads exactly as the inlined literal
 * would; anything else is left to MikroORM's inlining.
 */

/**
 * The parameters as SQLite binds them so that they mean what MikroORM's inlined literals meant,
 * or undefined when binding could differ: a placeholder MikroORM reads otherwise (`??` is an
 * identifier, `\?` a question mark), a count that does not match, or a value MikroORM expands or
 * serialises (arrays, objects, buffers, raw fragments, undefined).
 */
export function boundParameters(sql: string, params: readonly unknown[]): unknown[] | undefined {
  if (plainPlaceholders(sql) !== params.length) return undefined;
  const bound: unknown[] = new Array(params.length);
  for (let i = 0; i < params.length; i += 1) {
    const value = asInlined(params[i]);
    if (value === NOT_BINDABLE) return undefined;
    bound[i] = value;
  }
  return bound;
}

const NOT_BINDABLE = Symbol('not bindable');

/**
 * One value as its inlined literal reads. Integers, instants (inlined as milliseconds) and booleans
 * (`true`/`false`) are INTEGER literals, which libsql binds only from a bigint: it binds every
 * number as REAL, and a REAL written to a text column reads `5.0`, not `5`.
 */
function asInlined(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : Number.isFinite(value) && !Number.isInteger(value) ? value : NOT_BINDABLE;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? NOT_BINDABLE : BigInt(value.getTime());
  return NOT_BINDABLE;
}

/**
 * How many `?` the text holds, each a value (MikroORM's `formatQuery` replaces each, quoted or
 * not); undefined when it holds a placeholder MikroORM reads otherwise (`??` is an identifier, `\?`
 * a question mark).
 */
export function plainPlaceholders(sql: string): number | undefined {
  if (sql.includes('??') || sql.includes('\\?')) return undefined;
  let count = 0;
  for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', at + 1)) count += 1;
  return count;
}
