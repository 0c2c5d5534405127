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

/** The rows of each key, in the order given; every key has a group (empty when no row names it), rows of other keys are left out. */
export function groupRows<T>(keys: readonly string[], rows: Iterable<T>, keyOf: (row: T) => string | null | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null && key !== undefined) groups.get(key)?.push(row);
  }
  return groups;
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
    const groups = groupRows(keys, await fetch(keys), keyOf);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
