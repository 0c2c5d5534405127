// The SQLite audit append's writer thread (sqlite-event-writer.ts), in plain JavaScript: a
// TypeScript worker does not load under tsx on Node 20. It knows no audit format: it runs the
// statements the writer prepared (their SQL comes from sqlite-event-writer.ts) in one transaction,
// so that the COMMIT's disk sync waits here instead of blocking the gateway's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Libsql from 'libsql';

/** Pages this connection keeps in memory, in KiB (64 MiB; SQLite takes them only as it uses them). */
const WRITER_CACHE_KIB = 65536;

const db = new Libsql(workerData.file);
// A lock another connection holds is not waited for here: the writer waits for it, asynchronously.
db.pragma('busy_timeout = 0');
// The lookups' batches insert into B-trees keyed by patient, across their whole width: with
// SQLite's default 2 MB cache their pages are read back from the file on every batch (measured,
// a list of 500 patients: the writer's CPU 5.5 -> 2.9 ms per request, most of it kernel time).
db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
const prepared = new Map(Object.entries(workerData.statements).map(([name, sql]) => [name, db.prepare(sql)]));
const begin = db.prepare('begin immediate');
const readHead = db.prepare('select last_seq, last_hash from audit_chain_head where id = 1');
const commit = db.prepare('commit');
const rollback = db.prepare('rollback');
const lookup = Object.fromEntries(Object.entries(workerData.lookup).map(([name, sql]) => [name, db.prepare(sql)]));

const failure = (err) => ({ message: err instanceof Error ? err.message : String(err), code: err?.code });

/**
 * Runs `work` in one write transaction, in one synchronous stretch once the lock is taken. Answers
 * `busy` (lock held elsewhere, nothing run), `stale` when `work` says so (rolled back),
 * `committed` with how long the `commit` took (the disk's sync: where appends commit depends on
 * it, append-placement.ts), or the error after rolling back.
 */
function inTransaction(work) {
  try {
    begin.run();
  } catch (err) {
    return err?.code?.startsWith('SQLITE_BUSY') ? { outcome: 'busy' } : { outcome: 'failed', error: failure(err) };
  }
  try {
    if (work() === 'stale') {
      rollback.run();
      return { outcome: 'stale' };
    }
    const started = performance.now();
    commit.run();
    return { outcome: 'committed', commitMs: performance.now() - started };
  } catch (err) {
    if (db.open && db.inTransaction) rollback.run();
    return { outcome: 'failed', error: failure(err) };
  }
}

/**
 * One append: checks that the chain head is still the one the events were linked to (another
 * replica may have appended since), then runs the statements.
 */
function append({ head, runs }) {
  return inTransaction(() => {
    const current = readHead.get();
    if (!current || Number(current.last_seq) !== head.seq || current.last_hash !== head.hash) return 'stale';
    for (const [name, params] of runs) prepared.get(name).run(...params);
    return 'done';
  });
}

/**
 * One batch of the lookups by patient and by field (event-lookups.ts): the events appended since
 * the mark, up to the head. `busy` leaves them to the next batch.
 */
function indexLookups() {
  return inTransaction(() => {
    const progress = lookup.readProgress.get();
    const upto = Number(progress?.patients_indexed_upto ?? 0);
    const last = Number(progress?.last_seq ?? 0);
    if (last > upto) {
      lookup.indexPatients.run(upto, last);
      lookup.indexFields.run(upto, last);
      lookup.markIndexed.run(last);
    }
    return 'done';
  });
}

parentPort.on('message', (message) => {
  if (message.kind === 'index') {
    parentPort.postMessage({ id: message.id, ...indexLookups() });
    return;
  }
  if (message.kind === 'close') {
    db.close();
    parentPort.postMessage({ id: message.id, outcome: 'closed' });
    parentPort.close();
    return;
  }
  parentPort.postMessage({ id: message.id, ...append(message) });
});
