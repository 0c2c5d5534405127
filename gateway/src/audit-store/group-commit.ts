/**
 * Group commit: work submitted while a flush runs waits for the next flush, which takes all of it
 * at once. A lone submission is flushed at once (no added latency); under load, many requests
 * share one transaction (one lock of the chain head, one disk sync) instead of queueing for one each.
 * Each submitter learns the outcome of its own work: when a shared flush fails, each item is
 * flushed again alone, so that one bad item cannot fail the requests it happened to travel with.
 */
export function groupCommit<T>(flush: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let waiting: { item: T; done: () => void; failed: (err: unknown) => void }[] = [];
  let flushing = false;

  const drain = async () => {
    flushing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await flush(batch.map((w) => w.item));
        for (const w of batch) w.done();
      } catch (err) {
        if (batch.length === 1) {
          batch[0]?.failed(err);
          continue;
        }
        for (const w of batch) {
          await flush([w.item]).then(w.done, w.failed);
        }
      }
    }
    flushing = false;
  };

  return (item) =>
    new Promise<void>((done, failed) => {
      waiting.push({ item, done, failed });
      if (!flushing) void drain();
    });
}
