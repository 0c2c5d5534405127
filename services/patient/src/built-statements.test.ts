import { describe, expect, it } from 'vitest';
import type { SqlEntityManager } from '@clinic/service-kit';
import { runBuilt, textStandIn } from './built-statements.js';

/** An entity manager that quotes as SQLite does and records what it is asked to run. */
function recordingEm() {
  const runs: { sql: string; bindings: unknown[] }[] = [];
  const platform = { formatQuery: (sql: string, [value]: unknown[]) => sql.replace('?', typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value)) };
  const em = {
    getPlatform: () => platform,
    getTransactionContext: () => undefined,
    getConnection: () => ({ execute: async (sql: string, bindings: unknown[]) => (runs.push({ sql, bindings }), []) }),
  } as unknown as SqlEntityManager;
  return { em, runs };
}

const AT = new Date('2000-01-05T15:00:00Z');
const standIns = { reader: textStandIn('reader'), at: AT };
const statement = () => ({ sql: 'select id from a where status = ? and reader = ? and since <= ? and lifted = ?', bindings: ['BOOKED', standIns.reader, AT, false] });

describe('statements built once', () => {
  it("write the statement's constants into its text and bind only the request's values, so the text is the same on every run", async () => {
    const { em, runs } = recordingEm();
    const first = new Date('2026-03-02T14:00:00Z');
    const second = new Date('2026-03-03T14:00:00Z');
    await runBuilt(em, 'constants-test', standIns, { reader: 'e-1', at: first }, statement);
    await runBuilt(em, 'constants-test', standIns, { reader: 'e-2', at: second }, statement);
    expect(runs).toEqual([
      { sql: "select id from a where status = 'BOOKED' and reader = ? and since <= ? and lifted = false", bindings: ['e-1', first] },
      { sql: "select id from a where status = 'BOOKED' and reader = ? and since <= ? and lifted = false", bindings: ['e-2', second] },
    ]);
  });

  it('refuse an instant that is no stand-in, and a constant that would read as a placeholder', async () => {
    const { em } = recordingEm();
    const values = { reader: 'e-1', at: new Date() };
    await expect(runBuilt(em, 'instant-test', standIns, values, () => ({ sql: 'select ? as x', bindings: [new Date(5)] }))).rejects.toThrow('an instant that is no stand-in');
    await expect(runBuilt(em, 'mark-test', standIns, values, () => ({ sql: 'select ? as x', bindings: ['why?'] }))).rejects.toThrow('a constant with a question mark');
    await expect(runBuilt(em, 'count-test', standIns, values, () => ({ sql: 'select ? as x', bindings: [] }))).rejects.toThrow('0 bindings for 1 placeholders');
  });
});
