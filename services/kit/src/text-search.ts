import type { SqlEntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { badUserInput } from './errors.js';

const MAX_SEARCH_LENGTH = 100;
const MAX_SEARCH_WORDS = 5;

/** Splits a free-text search into words (at most 5, 100 characters in all). */
export function searchWords(search: string | null | undefined): string[] {
  const text = (search ?? '').trim();
  if (text.length > MAX_SEARCH_LENGTH) throw badUserInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`, 'search');
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length > MAX_SEARCH_WORDS) throw badUserInput(`search must have at most ${MAX_SEARCH_WORDS} words`, 'search');
  return words;
}

/** A case-insensitive "contains" condition: ILIKE on PostgreSQL, LIKE (already case-insensitive) on SQLite. */
export function containsIgnoringCase(em: SqlEntityManager, word: string): { $ilike: string } | { $like: string } {
  const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return em.getPlatform() instanceof PostgreSqlPlatform ? { $ilike: pattern } : { $like: pattern };
}

/** ISO-8601 text of an instant, or null. */
export function isoOrNull(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}
