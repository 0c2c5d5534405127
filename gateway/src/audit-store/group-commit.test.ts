import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

/** A flush that records its batches and waits until the test lets it finish. */
function controlledFlush() {
  const batches: number[][] = [];
  const releases: ((err?: Error) => void)[] = [];
  const flush = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(items);
      releases.push((err) => (err ? reject(err) : resolve()));
    });
  const release = async (err?: Error) => {
    releases.shift()?.(err);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, flush, release };
}

describe('group commit', () => {
  it('flushes a lone submission at once, and gathers what arrives meanwhile into the next flush', async () => {
    const { batches, flush, release } = controlledFlush();
    const submit = groupCommit(flush);
    const first = submit(1);
    expect(batches).toEqual([[1]]);
    const later = [submit(2), submit(3), submit(4)];
    expect(batches).toEqual([[1]]);
    await release();
    await first;
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await release();
    await Promise.all(later);
    const alone = submit(5);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    await release();
    await alone;
  });

  it('flushes each item of a failed shared flush alone, so that only the bad one fails', async () => {
    const flushed: number[][] = [];
    const submit = groupCommit<number>(async (items) => {
      flushed.push(items);
      // The first flush is slow, so that 2, 3 and 4 arrive meanwhile and travel together; 3 cannot be written.
      if (items.includes(1)) await new Promise((resolve) => setTimeout(resolve, 10));
      if (items.includes(3)) throw new Error('value too long');
    });
    const outcomes = await Promise.allSettled([submit(1), submit(2), submit(3), submit(4)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(flushed).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('fails exactly the submissions of a failed flush, and goes on with the next ones', async () => {
    const { batches, flush, release } = controlledFlush();
    const submit = groupCommit(flush);
    const first = submit(1);
    const second = submit(2);
    const failure = new Error('disk full');
    const firstFails = expect(first).rejects.toBe(failure);
    await release(failure);
    await firstFails;
    expect(batches).toEqual([[1], [2]]);
    await release();
    await expect(second).resolves.toBeUndefined();
  });
});
