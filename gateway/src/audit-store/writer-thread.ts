import { Worker } from 'node:worker_threads';
import type { ChainHeadState } from './event-writer.js';

/** What the writer thread answers for one append (sqlite-writer-thread.mjs). */
export type ThreadOutcome = 'committed' | 'stale' | 'busy';

/** What the thread did, and for a commit how long its `commit` statement took (ms). */
export interface ThreadResult {
  outcome: ThreadOutcome;
  commitMs?: number;
}

type Reply = ({ id: number } & ThreadResult) | { id: number; outcome: 'closed' } | { id: number; outcome: 'failed'; error: { message: string; code?: string } };

/** A reply's result; a failure in the thread, or a thread that closed, rejects. */
function resultOf(reply: Reply): ThreadResult {
  if (reply.outcome === 'failed') throw Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {});
  if (reply.outcome === 'closed') throw new Error('audit log: the writer thread is closed');
  return reply.commitMs === undefined ? { outcome: reply.outcome } : { outcome: reply.outcome, commitMs: reply.commitMs };
}

const THREAD_FILE = new URL('./sqlite-writer-thread.mjs', import.meta.url);

/**
 * The SQLite append's writer thread, seen from the gateway: started by `warmUp` (the writer's
 * first append, which runs on the gateway's own connection meanwhile), so that a process that
 * never appends (`npm run audit:verify`) starts none and no request waits for its start-up;
 * started again after it dies (its pending appends fail: no audit, no data), stopped with the
 * writer. Idle, it does not keep the process alive.
 */
export class WriterThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (err: Error) => void }>();

  constructor(
    private readonly file: string,
    private readonly statements: Readonly<Record<string, string>>,
    /** The lookups' batch (LOOKUP_SQL.sqlite). */
    private readonly lookup: Readonly<Record<string, string>>,
  ) {}

  /** Starts the thread in the background, if it is not running. */
  warmUp(): void {
    if (!this.worker) this.start().unref();
  }

  /** Runs `runs` in one transaction on top of `head`; a failure in the thread rejects. */
  async append(head: ChainHeadState, runs: readonly (readonly [string, readonly unknown[]])[]): Promise<ThreadResult> {
    return resultOf(await this.send({ kind: 'append', head, runs }));
  }

  /** Runs one batch of the lookups (event-lookups.ts); a failure in the thread rejects. */
  async indexLookups(): Promise<ThreadOutcome> {
    return resultOf(await this.send({ kind: 'index' })).outcome;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await this.send({ kind: 'close' }).catch(() => undefined);
    await worker.terminate();
    this.worker = undefined;
  }

  private send(message: Record<string, unknown>): Promise<Reply> {
    const worker = this.worker ?? this.start();
    const id = (this.nextId += 1);
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Held alive while an append waits for its commit, let go when idle.
      worker.ref();
      worker.postMessage({ id, ...message });
    });
  }

  private start(): Worker {
    // Plain JavaScript: none of the parent's loaders (tsx) need to start in the thread.
    const worker = new Worker(THREAD_FILE, { workerData: { file: this.file, statements: this.statements, lookup: this.lookup }, execArgv: [] });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(err);
      this.pending.clear();
    };
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiting?.resolve(reply);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (err) => fail(err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', () => fail(new Error('audit log: the writer thread stopped')));
    this.worker = worker;
    return worker;
  }
}
