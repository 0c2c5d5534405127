import { createHash } from 'node:crypto';
import { foldForSearch } from './text-search.js';

/**
 * A digest of a name or an address for "is it the same?" (the gateway's watch over allowed reads,
 * issue 15): folded like search (case, accents), punctuation and spacing ignored, then hashed, so
 * that the gateway compares people without receiving their names or addresses. Null when empty.
 */
export function matchKey(text: string | null | undefined): string | null {
  if (!text) return null;
  const folded = foldForSearch(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return folded ? createHash('sha256').update(folded).digest('base64url') : null;
}
