import { describe, expect, it } from 'vitest';
import { containsSearchWord, foldForSearch, searchableName, searchWords } from './text-search.js';

const badUserInput = expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'search' }) });

describe('foldForSearch', () => {
  it('lower-cases and removes diacritics, whatever the case or the Unicode form of the input', () => {
    expect(foldForSearch('BÉLANGER')).toBe('belanger');
    expect(foldForSearch('Bélanger')).toBe('belanger');
    expect(foldForSearch('Côté')).toBe('cote');
    expect(foldForSearch('CÔTÉ')).toBe('cote');
    // Decomposed input (e + combining acute accent), as some keyboards and files send it.
    expect(foldForSearch('Be\u0301langer')).toBe('belanger');
    expect(foldForSearch('Françoise Gélinas-Lévêque')).toBe('francoise gelinas-leveque');
    expect(foldForSearch('Ñúñez Müller')).toBe('nunez muller');
  });

  it('folds letters that carry no separable accent, typographic apostrophes and compatibility forms', () => {
    expect(foldForSearch('Strauß')).toBe('strauss');
    expect(foldForSearch('Cœur Lætitia Øster Łukasz İlker')).toBe('coeur laetitia oster lukasz ilker');
    expect(foldForSearch('O’Neil')).toBe("o'neil");
    expect(foldForSearch('ＣＡＲＯＮ')).toBe('caron');
  });

  it('keeps letters of other scripts, in lower case', () => {
    expect(foldForSearch('ΣΟΦΙΑ')).toBe('σοφια');
    expect(foldForSearch('Иванов')).toBe('иванов');
    expect(foldForSearch('김민준')).toBe('김민준');
  });

  it('is idempotent', () => {
    for (const text of ['Bélanger', 'Strauß', 'O’Neil', '김민준', 'ΣΟΦΟΣ']) expect(foldForSearch(foldForSearch(text))).toBe(foldForSearch(text));
  });
});

describe('searchableName', () => {
  it('joins the folded names with one space and skips missing ones', () => {
    expect(searchableName('Éloïse', 'Côté')).toBe('eloise cote');
    expect(searchableName('  Jean ', 'Caron')).toBe('jean caron');
    expect(searchableName('Marie', null, undefined, ' ')).toBe('marie');
  });
});

describe('searchWords', () => {
  it('splits on any white space and folds every word', () => {
    expect(searchWords('  BÉLANGER\tcôté  ')).toEqual(['belanger', 'cote']);
    expect(searchWords("O’Neil Gélinas-Lévêque d'Amour 2")).toEqual(["o'neil", 'gelinas-leveque', "d'amour", '2']);
  });

  it('returns no word for an empty, blank or missing search', () => {
    expect(searchWords('')).toEqual([]);
    expect(searchWords('   ')).toEqual([]);
    expect(searchWords(null)).toEqual([]);
    expect(searchWords(undefined)).toEqual([]);
  });

  it.each(['%', 'a%b', '_', 'car_n', '\\', 'caron\\', 'marie.lefebvre@example.org', 'caron;', '(caron)', 'ca*', '＿', '％'])(
    'refuses "%s": only letters, digits, hyphens and apostrophes are allowed',
    (search) => {
      expect(() => searchWords(search)).toThrow(badUserInput);
      expect(() => searchWords(search)).toThrow(/only letters, digits, hyphens \(-\) and apostrophes \('\)/);
    },
  );

  it('limits the search to 100 characters and 5 words', () => {
    expect(searchWords('a'.repeat(100))).toHaveLength(1);
    expect(() => searchWords('a'.repeat(101))).toThrow(badUserInput);
    expect(searchWords('a b c d e')).toHaveLength(5);
    expect(() => searchWords('a b c d e f')).toThrow(badUserInput);
  });

  it('never echoes the search in its message', () => {
    expect(() => searchWords('Lefebvre%')).toThrow(expect.not.objectContaining({ message: expect.stringContaining('Lefebvre') }));
  });
});

describe('containsSearchWord', () => {
  it('is a plain LIKE on the folded word, with no wildcard but the surrounding ones', () => {
    expect(containsSearchWord('cote')).toEqual({ $like: '%cote%' });
    expect(containsSearchWord("o'neil")).toEqual({ $like: "%o'neil%" });
  });

  it('refuses a word that did not come from searchWords', () => {
    for (const word of ['a%', 'a_b', 'a\\', 'Côté', '']) expect(() => containsSearchWord(word)).toThrow(/searchWords/);
  });
});
