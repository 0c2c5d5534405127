import { describe, expect, it } from 'vitest';
import { groupedLoader, keyedLoader } from './loaders.js';

describe('keyedLoader', () => {
  it('answers every key of one tick with a single fetch, undefined for a missing key', async () => {
    const fetches: string[][] = [];
    const loader = keyedLoader(
      async (keys) => {
        fetches.push([...keys]);
        return keys.filter((k) => k !== 'ghost').map((id) => ({ id, name: id.toUpperCase() }));
      },
      (row) => row.id,
    );
    const rows = await Promise.all(['a', 'b', 'ghost', 'a'].map((k) => loader.load(k)));
    expect(fetches).toEqual([['a', 'b', 'ghost']]);
    expect(rows.map((r) => r?.name)).toEqual(['A', 'B', undefined, 'A']);
  });
});

describe('groupedLoader', () => {
  it('groups rows by key in fetch order with one fetch, and gives an empty list to a key without rows', async () => {
    let calls = 0;
    const loader = groupedLoader(
      async () => {
        calls += 1;
        return [
          { patientId: 'p1', v: 1 },
          { patientId: 'p2', v: 2 },
          { patientId: 'p1', v: 3 },
        ];
      },
      (row) => row.patientId,
    );
    const [p1, p2, p3] = await Promise.all([loader.load('p1'), loader.load('p2'), loader.load('p3')]);
    expect(calls).toBe(1);
    expect(p1?.map((r) => r.v)).toEqual([1, 3]);
    expect(p2?.map((r) => r.v)).toEqual([2]);
    expect(p3).toEqual([]);
  });
});
