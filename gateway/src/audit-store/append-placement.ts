/**
 * Where the SQLite append commits: on the writer's own connection in the event loop, or in the
 * writer thread. Waking the thread and being woken by it costs more CPU than a quick commit
 * (paired, warmed, requests sent one after another, 2026-12-03: a `list100` request 0.54 ms less
 * gateway CPU with the commit on the event loop, a `reception` request 0.18 ms less; under load
 * 0.22 ms less and no fewer requests per second), so the append commits on the event loop while
 * the disk's sync is quick. When it is slow (the `commit` statement above `slowCommitMs` on
 * average), the appends go to the thread, which keeps the event loop free for the other requests.
 *
 * What is measured is the `commit` statement alone, wherever it ran (the thread reports its own):
 * that is the disk's sync. The transaction around it grows with the events a group commit takes
 * at once under load, and a commit measured from `begin` counted those inserts as a slow disk
 * (measured 2026-12-03: under the bench's load that average sat just above 2 ms on a quick disk,
 * and the requests sent one after another after it went to the thread).
 */
export class AppendPlacement {
  /** Starts quick: the first commits of a process run on cold caches. */
  private averageMs = 0;

  /** `slowCommitMs`: the average `commit` statement above which appends go to the thread. */
  constructor(private readonly slowCommitMs: number = SLOW_COMMIT_MS) {}

  /** Whether the next append commits on the event loop (else in the writer thread). */
  onEventLoop(): boolean {
    return this.averageMs <= this.slowCommitMs;
  }

  /** How long an append's `commit` statement took (ms), on the event loop or in the thread. */
  committed(ms: number): void {
    this.averageMs += (ms - this.averageMs) * WEIGHT;
  }
}

/**
 * A `commit` that takes longer than this on average (ms) sends the appends to the thread: 8 times
 * a quick disk's sync sent alone (0.5 ms on the bench's VM). Under the bench's load (10 requests
 * at once, two vCPUs shared with the subgraphs) that VM's commits averaged 0.5 to 3 ms, and
 * committing them on the event loop served no fewer requests per second (2026-12-03).
 */
export const SLOW_COMMIT_MS = 4;
/** The weight of the newest commit in the running average: one slow commit among quick ones (a checkpoint) barely moves it. */
const WEIGHT = 0.05;
