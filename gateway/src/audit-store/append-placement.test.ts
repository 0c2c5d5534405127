import { describe, expect, it } from 'vitest';
import { AppendPlacement, SLOW_COMMIT_MS } from './append-placement.js';

/** Where the next `count` appends commit: `loop` on the event loop, `thread` in the writer thread. */
const next = (placement: AppendPlacement, count: number) => Array.from({ length: count }, () => (placement.onEventLoop() ? 'loop' : 'thread'));

describe('where the SQLite append commits', () => {
  it('on the event loop while its commits are quick, and from the start', () => {
    const placement = new AppendPlacement();
    expect(next(placement, 3)).toEqual(['loop', 'loop', 'loop']);
    for (let i = 0; i < 100; i += 1) placement.committed(SLOW_COMMIT_MS / 4);
    expect(next(placement, 3)).toEqual(['loop', 'loop', 'loop']);
  });

  it('in the writer thread while commits are slow on average', () => {
    const placement = new AppendPlacement();
    for (let i = 0; i < 100; i += 1) placement.committed(SLOW_COMMIT_MS * 5);
    expect(next(placement, 300)).toEqual(Array.from({ length: 300 }, () => 'thread'));
  });

  it('stays on the event loop after one slow commit among quick ones (a checkpoint), and comes back once the thread’s commits are quick again', () => {
    const placement = new AppendPlacement();
    for (let i = 0; i < 50; i += 1) placement.committed(0.3);
    placement.committed(SLOW_COMMIT_MS * 8);
    expect(placement.onEventLoop()).toBe(true);
    for (let i = 0; i < 100; i += 1) placement.committed(SLOW_COMMIT_MS * 5);
    expect(placement.onEventLoop()).toBe(false);
    // The thread's commits, reported while the appends go there, bring them back.
    for (let i = 0; i < 100; i += 1) placement.committed(0.3);
    expect(next(placement, 3)).toEqual(['loop', 'loop', 'loop']);
  });

  it('takes the clinic’s threshold: 0 sends every append after the first commit to the thread', () => {
    const placement = new AppendPlacement(0);
    expect(placement.onEventLoop()).toBe(true);
    placement.committed(0.1);
    expect(next(placement, 3)).toEqual(['thread', 'thread', 'thread']);
  });
});
