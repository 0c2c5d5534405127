import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntitySchema } from '@mikro-orm/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from './database.js';
import { CONNECTION_PRAGMAS, keepPreparedStatements } from './libsql-driver.js';

const dirs: string[] = [];
/** The table the test reads, declared only because MikroORM starts with at least one entity. */
const Row = new EntitySchema<{ id: number; name: string }>({ name: 'Row', tableName: 't', properties: { id: { type: 'number', primary: true }, name: { type: 'string' } } });
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `use` on a database of its own on a fresh SQLite file, closed afterwards. */
async function withTestDatabase(use: (db: Database) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-libsql-'));
  dirs.push(dir);
  const db = await Database.open({ service: 'kit-test', entities: [Row], migrations: [], target: { kind: 'sqlite', file: join(dir, 'k.sqlite') } } as never);
  try {
    await use(db);
  } finally {
    await db.close();
  }
}

/** The pool of a database's connection, which lends its raw libsql connections. */
const poolOf = (db: Database) =>
  db.orm.em.getConnection().getKnex().client as { acquireConnection(): Promise<{ prepare(sql: string): unknown }>; releaseConnection(c: unknown): Promise<void> };

/** A libsql-like connection that counts what it prepares. */
function countingConnection() {
  const prepared: string[] = [];
  const connection = { prepare: (sql: string) => (prepared.push(sql), { sql }) };
  return { connection, prepared };
}

describe('prepared statements kept per connection', () => {
  it('prepares a statement once per text, and lets the oldest go when full', () => {
    const { connection, prepared } = countingConnection();
    keepPreparedStatements(connection, 2);
    const first = connection.prepare('select 1');
    expect(connection.prepare('select 1')).toBe(first);
    connection.prepare('select 2');
    connection.prepare('select 3');
    connection.prepare('select 1');
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 1']);
  });

  it("is what a database's connection does, and answers the same rows: fresh bindings each run, after a failed run, after the table changed", async () => {
    await withTestDatabase(async (db) => {
      const conn = db.orm.em.getConnection();
      await conn.execute('create table t (id integer primary key, name text not null)');
      await conn.execute("insert into t (name) values ('a'), ('b')");
      const byId = (id: number) => conn.execute<{ name: string }[]>('select * from t where id = ?', [id]);
      expect(await byId(1)).toEqual([{ id: 1, name: 'a' }]);
      expect(await byId(2)).toEqual([{ id: 2, name: 'b' }]);
      await expect(conn.execute('insert into t (name) values (?)', [null])).rejects.toThrow();
      await expect(conn.execute('insert into t (name) values (?)', ['c'])).resolves.toBeDefined();
      await conn.execute("alter table t add column note text not null default 'n'");
      expect(await byId(2)).toEqual([{ id: 2, name: 'b', note: 'n' }]);
      // The database's own connection keeps them (without the driver, libsql prepares anew each time).
      const pool = poolOf(db);
      const raw = await pool.acquireConnection();
      try {
        expect(raw.prepare('select * from t where id = ?')).toBe(raw.prepare('select * from t where id = ?'));
      } finally {
        await pool.releaseConnection(raw);
      }
    });
  });

  it('sets the pragmas on every connection the pool opens, not only the first (it replaces its connection every ten seconds)', async () => {
    await withTestDatabase(async (db) => {
      const client = db.orm.em.getConnection().getKnex().client as { acquireRawConnection(): Promise<{ prepare(sql: string): { get(): Record<string, unknown> }; close(): void }> };
      const fresh = await client.acquireRawConnection();
      try {
        expect(CONNECTION_PRAGMAS).toContain('secure_delete = on');
        const pragma = (name: string) => Object.values(fresh.prepare(`pragma ${name}`).get())[0];
        expect([pragma('secure_delete'), pragma('busy_timeout'), pragma('foreign_keys'), pragma('journal_mode')]).toEqual([1, 10000, 1, 'wal']);
      } finally {
        fresh.close();
      }
    });
  });

  it("binds MikroORM's parameters instead of writing them into the text, so a statement's text and its prepared statement are the same whatever the values", async () => {
    await withTestDatabase(async (db) => {
      const conn = db.orm.em.getConnection();
      const pool = poolOf(db);
      const raw = await pool.acquireConnection();
      const texts: string[] = [];
      const prepare = raw.prepare.bind(raw);
      raw.prepare = (sql: string) => (texts.push(sql), prepare(sql));
      await pool.releaseConnection(raw);
      await conn.execute('create table t (id integer primary key, name text not null)');
      await conn.execute('select ? as v', [1]);
      await conn.execute('select ? as v', [2]);
      // A value bound reads as its literal would have: integers, instants (milliseconds) and booleans as INTEGER, so a number
      // written to a text column reads "5", not "5.0"; fractions as REAL; text as text.
      const typed = await conn.execute<Record<string, unknown>[]>('select typeof(?) as a, typeof(?) as b, typeof(?) as c, ? as d, typeof(?) as e, ? as f', [5, true, new Date(86_400_000), new Date(86_400_000), 1.5, "it's"]);
      await conn.execute('insert into t (name) values (?)', [5]);
      const stored = await conn.execute<{ name: string }[]>('select name from t');
      // What binding could change is written into the text, as before: a list, an object.
      const listed = await conn.execute<{ n: number }[]>('select count(*) as n from t where name in (?)', [['5', '6']]);
      expect(texts.filter((t) => t.startsWith('select ? as v'))).toEqual(['select ? as v', 'select ? as v']);
      expect(typed).toEqual([{ a: 'integer', b: 'integer', c: 'integer', d: 86_400_000, e: 'real', f: "it's" }]);
      expect(stored).toEqual([{ name: '5' }]);
      expect(listed).toEqual([{ n: 1 }]);
      expect(texts).toContain("select count(*) as n from t where name in ('5', '6')");
    });
  });
});
