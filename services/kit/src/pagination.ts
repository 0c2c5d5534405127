import { Cursor, type EntityName, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { CursorSeal } from './cursor-seal.js';
import { badUserInput } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** `first` is 1 to 100 (20 when omitted). */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/** An `after` cursor must be one this API sealed for the same listing (list, order, reader). */
function checkedCursor(after: string | null | undefined, keys: number, seal: PageCursors): string | undefined {
  if (after === null || after === undefined) return undefined;
  const keyset = seal.seal.open(after, seal.scope);
  let values: unknown;
  try {
    values = keyset !== undefined ? Cursor.decode(keyset) : undefined;
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== keys || values.some((v) => !['string', 'number'].includes(typeof v))) {
    throw badUserInput('after is not a cursor returned by this API', 'after');
  }
  return keyset;
}

/** How a listing's cursors are sealed: the subgraph's seal and what the cursor is bound to. */
export interface PageCursors {
  seal: CursorSeal;
  scope: string;
}

/** Keyset (cursor) pagination through MikroORM: stable under inserts, no OFFSET scans; cursors sealed (see cursor-seal.ts). */
export async function paginate<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  options: { first?: number | null; after?: string | null; orderBy: QueryOrderMap<T>; cursors: PageCursors },
): Promise<Connection<T>> {
  const first = pageSize(options.first);
  const after = checkedCursor(options.after, Object.keys(options.orderBy).length, options.cursors);
  const sealed = (keyset: string | null) => (keyset === null ? null : options.cursors.seal.seal(keyset, options.cursors.scope));
  const cursor = await em.findByCursor(entity, where, {
    first,
    ...(after ? { after } : {}),
    orderBy: options.orderBy,
    includeCount: true,
  });
  const nodes = cursor.items as T[];
  let edges: Connection<T>['edges'] | undefined;
  return {
    // A cursor per row is a cipher per row: sealed only for a page whose edges are asked for.
    get edges() {
      return (edges ??= nodes.map((node) => ({ cursor: sealed(cursor.from(node as never)) as string, node })));
    },
    nodes,
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: sealed(cursor.startCursor),
      endCursor: sealed(cursor.endCursor),
    },
    totalCount: cursor.totalCount,
  };
}
