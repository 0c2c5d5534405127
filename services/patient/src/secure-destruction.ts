import type { SqlEntityManager } from '@clinic/service-kit';

/**
 * Destroyed means unrecoverable from the database files (issue 14). On SQLite the kit turns
 * `secure_delete` on for every connection (freed pages are overwritten with zeros), but in WAL mode
 * the old page images stay in the -wal file until a checkpoint: after a destruction the WAL is
 * checkpointed and truncated so no copy of the deleted rows is left there. PostgreSQL keeps dead
 * tuples until VACUUM and in its WAL and backups: the README says what a clinic must do.
 */
export async function releaseDestroyedPages(em: SqlEntityManager): Promise<void> {
  if (!isSqlite(em)) return;
  await em.getConnection().execute('pragma wal_checkpoint(TRUNCATE)');
}

export function isSqlite(em: SqlEntityManager): boolean {
  return /sqlite|libsql/i.test(em.getPlatform().constructor.name);
}
