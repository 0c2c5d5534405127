import { plainPlaceholders, type SqlEntityManager } from '@clinic/service-kit';

/** A value a request binds: text or an instant. */
type Bindable = string | Date;

/** What a text stand-in starts with: NUL, which no constant does. */
const STAND_IN_MARK = '\u0000';

export interface BuiltStatement {
  sql: string;
  bindings: readonly unknown[];
}

/**
 * A statement as it runs: its constants written into the text (the query planner reads them: a
 * partial index applies only to a constant), a `?` for each stand-in, and which stand-in each
 * is (text by its value, an instant by its time).
 */
interface PreparedBuilt {
  sql: string;
  slots: readonly (string | number)[];
}

/** Statements the query builder built, by database platform (SQLite and PostgreSQL quote differently), then by key. */
const builtByPlatform = new WeakMap<object, Map<string, PreparedBuilt>>();
const KEPT_PER_PLATFORM = 256;

/** What the query builder's `getKnexQuery().toSQL()` answers. */
export interface BuildsSql {
  getKnexQuery(): { toSQL(): { sql: string; bindings: readonly unknown[] } };
}

/**
 * Runs a statement the query builder built once per database platform and `key` from stand-in
 * values, with each stand-in bound to the request's value of the same name: an instant is
 * recognised by its time, text by its value. Formatting a statement through the query builder on
 * every request was half the patient-access path's CPU time; the conditions stay written once,
 * as query-builder criteria. Its text is the same on every run, so the database keeps it
 * prepared. Stand-ins must be distinct from each other and from the statement's constants (text
 * stand-ins start with a NUL character, which no constant does).
 */
export async function runBuilt(
  em: SqlEntityManager,
  key: string,
  standIns: Readonly<Record<string, Bindable>>,
  values: Readonly<Record<string, Bindable>>,
  build: () => BuildsSql | BuiltStatement,
): Promise<Record<string, unknown>[]> {
  const platform = em.getPlatform();
  let built = builtByPlatform.get(platform);
  if (!built) {
    built = new Map();
    builtByPlatform.set(platform, built);
  }
  const byStandIn = new Map<unknown, Bindable>();
  for (const [name, standIn] of Object.entries(standIns)) {
    const value = values[name];
    if (value === undefined) throw new Error(`built statement ${key}: no value for ${name}`);
    byStandIn.set(standIn instanceof Date ? standIn.getTime() : standIn, value);
  }
  let statement = built.get(key);
  if (!statement) {
    statement = withConstantsWritten(key, builtSql(build()), new Set(byStandIn.keys()), (constant) => platform.formatQuery('?', [constant]));
    if (built.size >= KEPT_PER_PLATFORM) built.clear();
    built.set(key, statement);
  }
  const bindings = statement.slots.map((slot) => {
    const value = byStandIn.get(slot);
    if (value === undefined) throw new Error(`built statement ${key}: a stand-in without a value`);
    return value;
  });
  return em.getConnection().execute<Record<string, unknown>[]>(statement.sql, bindings, 'all', em.getTransactionContext());
}

/** The built statement with every binding that is no stand-in written in as the platform's literal. */
function withConstantsWritten(key: string, { sql, bindings }: BuiltStatement, standIns: ReadonlySet<unknown>, literal: (constant: unknown) => string): PreparedBuilt {
  const placeholders = plainPlaceholders(sql);
  if (placeholders === undefined) throw new Error(`built statement ${key}: a placeholder that binds no value`);
  if (placeholders !== bindings.length) throw new Error(`built statement ${key}: ${bindings.length} bindings for ${placeholders} placeholders`);
  const parts = sql.split('?');
  const slots: (string | number)[] = [];
  let text = parts[0] ?? '';
  bindings.forEach((binding, i) => {
    const slot = binding instanceof Date ? binding.getTime() : typeof binding === 'string' && binding.startsWith(STAND_IN_MARK) ? binding : undefined;
    if (slot !== undefined) {
      if (!standIns.has(slot)) throw new Error(`built statement ${key}: ${binding instanceof Date ? 'an instant that is no stand-in' : 'a stand-in without a value'}`);
      slots.push(slot);
      text += '?';
    } else {
      const written = literal(binding);
      // A question mark in a constant would read as a placeholder when the statement runs.
      if (written.includes('?')) throw new Error(`built statement ${key}: a constant with a question mark`);
      text += written;
    }
    text += parts[i + 1] ?? '';
  });
  return { sql: text, slots };
}

const builtSql = (statement: BuildsSql | BuiltStatement): BuiltStatement => ('sql' in statement ? statement : statement.getKnexQuery().toSQL());

/** One branch of `unionAll`: a built SELECT, the tag its rows get, and which of its columns are the shared ones. */
export interface UnionBranch {
  /** A constant naming the branch (letters only), answered as the `fact` column. */
  tag: string;
  of: BuildsSql;
  /** The branch's column answered as `patient_id`. */
  patient: string;
  /** The branch's column answered as `detail`, if any (else null). */
  detail?: string;
  /** The branch's JSON column answered as `fields`, as text, if any (else null). */
  fields?: string;
}

const COLUMN = /^[a-z_]+$/;

/**
 * Several SELECTs as one UNION ALL statement (one round trip instead of one per SELECT), each
 * branch's rows answered as (fact, patient_id, detail, fields), with the branches' bindings in
 * order. The same text on SQLite and PostgreSQL (the constants' type is the other branches').
 */
export function unionAll(branches: readonly UnionBranch[]): BuiltStatement {
  const parts: string[] = [];
  const bindings: unknown[] = [];
  for (const b of branches) {
    if (!/^[A-Z]+$/.test(b.tag) || ![b.patient, b.detail ?? 'x', b.fields ?? 'x'].every((c) => COLUMN.test(c))) throw new Error('unionAll: a tag or column that is not a plain name');
    const { sql, bindings: own } = builtSql(b.of);
    const column = (name: string | undefined) => (name ? `q.${name}` : 'null');
    // JSON as text: PostgreSQL types a column of NULLs as text and matches no json with it.
    const fields = b.fields ? `cast(q.${b.fields} as text)` : 'null';
    parts.push(`select '${b.tag}' as fact, q.${b.patient} as patient_id, ${column(b.detail)} as detail, ${fields} as fields from (${sql}) as q`);
    bindings.push(...own);
  }
  return { sql: parts.join(' union all '), bindings };
}

/** A text stand-in: NUL, then its name. */
export const textStandIn = (name: string) => `${STAND_IN_MARK}${name}`;
