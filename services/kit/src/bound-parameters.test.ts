import { describe, expect, it } from 'vitest';
import { boundParameters } from './bound-parameters.js';

describe('parameters bound as their inlined literals read', () => {
  it('binds text, integers, fractions, booleans, instants and null as SQLite reads the literals MikroORM would write', () => {
    expect(boundParameters('select ?, ?, ?, ?, ?, ?', ['a', 5, 1.5, false, new Date(1000), null])).toEqual(['a', 5n, 1.5, 0n, 1000n, null]);
  });

  it('leaves to inlining what it expands, serialises or cannot say exactly', () => {
    for (const value of [[1, 2], { a: 1 }, Buffer.from('x'), undefined, Number.NaN, 2 ** 60, new Date(Number.NaN)]) {
      expect(boundParameters('select ?', [value])).toBeUndefined();
    }
  });

  it('leaves to inlining a text whose placeholders MikroORM reads otherwise, or whose count does not match', () => {
    expect(boundParameters('select ?? from t where a = ?', ['c', 1])).toBeUndefined();
    expect(boundParameters('select \\? , ?', [1])).toBeUndefined();
    expect(boundParameters('select ?, ?', [1])).toBeUndefined();
    expect(boundParameters('select 1', [])).toEqual([]);
  });
});
