import { describe, expect, it } from 'vitest';
import { createCursorSeal } from './cursor-seal.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const keyset = JSON.stringify(['Bergeron', 'Anne', 'p-bergeron']);

describe('sealed page cursors', () => {
  const seal = createCursorSeal(SECRET);

  it('open what they sealed, for the same scope only', () => {
    const cursor = seal.seal(keyset, 'patients|name|e-roy');
    expect(seal.open(cursor, 'patients|name|e-roy')).toBe(keyset);
    expect(seal.open(cursor, 'patients|id|e-roy')).toBeUndefined();
    expect(seal.open(cursor, 'patients|name|e-morin')).toBeUndefined();
  });

  it('reveal nothing of the keyset; one row has one cursor per listing, and another in another listing', () => {
    const a = seal.seal(keyset, 'patients|name|e-roy');
    expect(seal.seal(keyset, 'patients|name|e-roy')).toBe(a);
    expect(seal.seal(keyset, 'patients|name|e-cote')).not.toBe(a);
    expect(seal.seal(JSON.stringify(['Caron', 'Jean', 'p-caron']), 'patients|name|e-roy')).not.toBe(a);
    for (const text of [a, Buffer.from(a, 'base64url').toString('latin1')]) for (const part of ['Bergeron', 'Anne', 'bergeron']) expect(text).not.toContain(part);
  });

  it('refuse tampered, truncated, extended, foreign and oversized cursors', () => {
    const cursor = seal.seal(keyset, 's');
    const flipped = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
    for (const bad of [flipped, cursor.slice(0, -2), `${cursor}x`, `${cursor}==`, Buffer.from(keyset).toString('base64url'), 'x'.repeat(2000), '', 'not base64 !']) {
      expect(seal.open(bad, 's'), bad.slice(0, 40)).toBeUndefined();
    }
    expect(createCursorSeal('another-secret-of-at-least-32-characters').open(cursor, 's')).toBeUndefined();
  });
});
