import { describe, expect, it } from 'vitest';
import { INDEX_EVERY_EVENTS, LookupBatches } from './event-lookups.js';

describe('the lookups’ batches', () => {
  it('run once every INDEX_EVERY_EVENTS appended events, and again at the next append after one that did not commit', async () => {
    const outcomes = [false, true, true];
    let runs = 0;
    const batches = new LookupBatches(async () => {
      runs += 1;
      return outcomes.shift() ?? true;
    });
    batches.appended(INDEX_EVERY_EVENTS - 1);
    await batches.settled();
    expect(runs).toBe(0);
    batches.appended(1);
    await batches.settled();
    expect(runs).toBe(1);
    // The first batch found the lock taken: the very next append asks again.
    batches.appended(1);
    await batches.settled();
    expect(runs).toBe(2);
    batches.appended(1);
    await batches.settled();
    expect(runs).toBe(2);
  });

  it('retries after a batch that failed, and stays settled', async () => {
    let runs = 0;
    const batches = new LookupBatches(async () => {
      runs += 1;
      if (runs === 1) throw new Error('disk full');
      return true;
    });
    batches.appended(INDEX_EVERY_EVENTS);
    await expect(batches.settled()).resolves.toBeUndefined();
    batches.appended(1);
    await batches.settled();
    expect(runs).toBe(2);
  });
});
