import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fetchWithCallTimeout } from './subgraph-fetch.js';

/** A fetch that answers after `ms`, or fails as soon as its signal aborts (as undici does). */
const slowFetch = (ms: number): typeof fetch => async (_input, init) =>
  new Promise<Response>((resolve, reject) => {
    const timer = setTimeout(() => resolve(new Response('{"data":{}}', { status: 200, headers: { 'content-type': 'application/json' } })), ms);
    init?.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(init.signal?.reason);
    });
  });

describe('a subgraph call bounded in time on a signal of its own', () => {
  it('puts one listener on a shared caller signal however many calls are in flight, and none once they end', async () => {
    const shared = new AbortController().signal;
    const call = fetchWithCallTimeout(slowFetch(30), 10_000);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const calls = Array.from({ length: 40 }, () => call('http://subgraph.test/graphql', { method: 'POST', signal: shared }));
    expect(getEventListeners(shared, 'abort').length).toBeLessThanOrEqual(1);
    const responses = await Promise.all(calls);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('fails a call that exceeds its deadline, body included', async () => {
    const call = fetchWithCallTimeout(slowFetch(200), 20);
    await expect(call('http://subgraph.test/graphql', { method: 'POST' })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('aborts the calls in flight when the caller signal aborts (the gateway stops)', async () => {
    const controller = new AbortController();
    const call = fetchWithCallTimeout(slowFetch(500), 10_000);
    const pending = [call('http://subgraph.test/graphql', { signal: controller.signal }), call('http://subgraph.test/graphql', { signal: controller.signal })];
    controller.abort(new Error('gateway stopping'));
    for (const p of pending) await expect(p).rejects.toThrow('gateway stopping');
  });

  it('does not start a call whose caller signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(fetchWithCallTimeout(slowFetch(1), 1000)('http://subgraph.test/graphql', { signal: controller.signal })).rejects.toThrow('stopped');
  });
});
