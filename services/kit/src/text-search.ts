import { badUserInput } from './errors.js';

const MAX_SEARCH_LENGTH = 100;
const MAX_SEARCH_WORDS = 5;

/** Letters that keep no diacritic to strip but are commonly typed without it (ß as ss, ø as o...). */
const LETTER_FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ς: 'σ',
  '’': "'",
  'ʼ': "'",
};
const FOLDABLE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');

/** What a search word may contain once folded: no LIKE wildcard (% _) or escape (\) can get through. */
const SEARCH_WORD = /^[\p{L}\p{M}\p{N}'-]+$/u;

/**
 * Text as it is stored for search and as search words are compared to it: lower case, compatibility
 * forms unfolded (NFKD), diacritics removed ("Côté" -> "cote", "BÉLANGER" -> "belanger").
 * Done in JavaScript, so SQLite and PostgreSQL compare the very same strings.
 * Changing it changes every stored search text: recompute them in a new migration.
 */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .replace(FOLDABLE, (c) => LETTER_FOLDS[c] ?? c)
    .normalize('NFC');
}

/**
 * The stored search text of a person: each name folded, separated by a space. Search words never
 * hold a space, so a word matches inside one name, never across two.
 */
export function searchableName(...names: (string | null | undefined)[]): string {
  return names
    .filter((name): name is string => typeof name === 'string' && name.trim() !== '')
    .map((name) => foldForSearch(name.trim()))
    .join(' ');
}

/**
 * Splits a free-text search into folded words (at most 5, 100 characters in all), each made of
 * letters, digits, hyphens and apostrophes only.
 */
export function searchWords(search: string | null | undefined): string[] {
  const text = (search ?? '').trim();
  if (text.length > MAX_SEARCH_LENGTH) throw badUserInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`, 'search');
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length > MAX_SEARCH_WORDS) throw badUserInput(`search must have at most ${MAX_SEARCH_WORDS} words`, 'search');
  return words.map((word) => {
    const folded = foldForSearch(word);
    if (!SEARCH_WORD.test(folded)) {
      throw badUserInput(`search words may contain only letters, digits, hyphens (-) and apostrophes ('), separated by spaces`, 'search');
    }
    return folded;
  });
}

/**
 * A "contains" condition on a column of folded text (see `searchableName`), for a word of `searchWords`.
 * Both sides are already folded, so a plain LIKE reads the same on SQLite and PostgreSQL.
 */
export function containsSearchWord(word: string): { $like: string } {
  if (!SEARCH_WORD.test(word) || word !== foldForSearch(word)) throw new Error('containsSearchWord takes a word of searchWords');
  return { $like: `%${word}%` };
}

/** ISO-8601 text of an instant, or null. */
export function isoOrNull(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}
