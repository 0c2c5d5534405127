/**
 * Where the SQLite append commits: on the writer's own connection in the event loop, or in the
 * writer thread. Waking the thread and being woken by it costs more CPU than a quick commit
 * (paired, warmed, requests sent one after another, 2026-12-03: a `list100` request 0.54 ms less
 * gateway CPU with the commit on the event loop, a `reception` request 0.18 ms less; under load
 * 0.22 ms less and no fewer requests per second), so the append commits on the event loop while
 * its commits are quick. When the disk's sync makes them slow (their synchronous stretch above
 * `slowCommitMs` on average), the appends go to the thread, which keeps the event loop free for
 * the other requests, and one in every `RECHECK_EVERY` commits on the event loop again, to see
 * whether the disk got quick.
 */
export class AppendPlacement {
  /** Starts quick: the first commits of a process run on cold caches. */
  private averageMs = 0;
  private sinceRecheck = 0;

  /** `slowCommitMs`: the average synchronous stretch of a commit above which appends go to the thread. */
  constructor(private readonly slowCommitMs: number = SLOW_COMMIT_MS) {}

  /** Whether the next append commits on the event loop (else in the writer thread). */
  onEventLoop(): boolean {
    if (!this.slow()) return true;
    this.sinceRecheck += 1;
    if (this.sinceRecheck < RECHECK_EVERY) return false;
    this.sinceRecheck = 0;
    return true;
  }

  /** How long a commit on the event loop held it, from `begin` to the end of `commit`. */
  committedOnEventLoop(ms: number): void {
    this.averageMs += (ms - this.averageMs) * WEIGHT;
  }

  private slow(): boolean {
    return this.averageMs > this.slowCommitMs;
  }
}

/** A commit that holds the event loop longer than this on average (ms) goes to the thread: 5 to 10 times a quick disk's. */
export const SLOW_COMMIT_MS = 2;
/** While commits are slow, one append in this many commits on the event loop to measure the disk again. */
export const RECHECK_EVERY = 256;
/** The weight of the newest commit in the running average: one slow commit among quick ones (a checkpoint) barely moves it. */
const WEIGHT = 0.05;
