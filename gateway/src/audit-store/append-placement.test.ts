import { describe, expect, it } from 'vitest';
import { AppendPlacement, RECHECK_EVERY, SLOW_COMMIT_MS } from './append-placement.js';

/** Where the next `count` appends commit: `loop` on the event loop, `thread` in the writer thread. */
const next = (placement: AppendPlacement, count: number) => Array.from({ length: count }, () => (placement.onEventLoop() ? 'loop' : 'thread'));

describe('where the SQLite append commits', () => {
  it('on the event loop while its commits are quick, and from the start', () => {
    const placement = new AppendPlacement();
    expect(next(placement, 3)).toEqual(['loop', 'loop', 'loop']);
    for (let i = 0; i < 100; i += 1) placement.committedOnEventLoop(SLOW_COMMIT_MS / 4);
    expect(next(placement, 3)).toEqual(['loop', 'loop', 'loop']);
  });

  it('in the writer thread once commits are slow on average, with one in every RECHECK_EVERY on the event loop to measure again', () => {
    const placement = new AppendPlacement();
    for (let i = 0; i < 100; i += 1) placement.committedOnEventLoop(SLOW_COMMIT_MS * 5);
    const placed = next(placement, RECHECK_EVERY * 2);
    expect(placed.filter((where) => where === 'loop')).toHaveLength(2);
    expect(placed[RECHECK_EVERY - 1]).toBe('loop');
    expect(placed.slice(0, RECHECK_EVERY - 1).every((where) => where === 'thread')).toBe(true);
  });

  it('stays on the event loop after one slow commit among quick ones (a checkpoint), and comes back once the disk is quick again', () => {
    const placement = new AppendPlacement();
    for (let i = 0; i < 50; i += 1) placement.committedOnEventLoop(0.3);
    placement.committedOnEventLoop(SLOW_COMMIT_MS * 8);
    expect(placement.onEventLoop()).toBe(true);
    for (let i = 0; i < 100; i += 1) placement.committedOnEventLoop(SLOW_COMMIT_MS * 5);
    expect(placement.onEventLoop()).toBe(false);
    for (let i = 0; i < 100; i += 1) placement.committedOnEventLoop(0.3);
    expect(next(placement, 3)).toEqual(['loop', 'loop', 'loop']);
  });

  it('takes the clinic’s threshold: 0 sends every append after the first commit to the thread', () => {
    const placement = new AppendPlacement(0);
    expect(placement.onEventLoop()).toBe(true);
    placement.committedOnEventLoop(0.1);
    expect(next(placement, 3)).toEqual(['thread', 'thread', 'thread']);
  });
});
