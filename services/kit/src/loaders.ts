import DataLoader from 'dataloader';

/**
 * One row per key (an entity by id): one query for every key asked during a request.
 * A key that matches nothing resolves to undefined.
 */
export function keyedLoader<T>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T | undefined> {
  return new DataLoader(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row] as const));
    return keys.map((key) => byKey.get(key));
  });
}

/**
 * Every row of each key (a patient's vitals): one query for every key asked during a request,
 * rows kept in the order the fetch returned them.
 */
export function groupedLoader<T>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const row of await fetch(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
