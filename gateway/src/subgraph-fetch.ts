import { isBufferedResponse } from '@clinic/service-kit';

/**
 * One subgraph call, bounded in time, on a signal of its own.
 *
 * Why not the HTTP executor's `timeout` option: the executor combines that per-call timeout with its
 * own long-lived signal (one per subgraph, aborted only when the gateway stops), and the combination
 * leaves an abort listener on that shared signal until the timeout fires or the garbage collector
 * runs. Under load more than ten calls to one subgraph are in that state at once, hence Node's
 * `MaxListenersExceededWarning` (11 abort listeners on one AbortSignal): a real accumulation, not
 * noise. Here each call gets its own controller and timer, cleared as soon as the response body has
 * been read; a caller's signal gets one listener whatever the number of calls that follow it.
 */
export class SubgraphTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** The calls in flight that follow each caller signal; one abort listener per signal. */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

function follow(outer: AbortSignal, controller: AbortController): () => void {
  let calls = followers.get(outer);
  if (!calls) {
    const following = new Set<AbortController>();
    calls = following;
    followers.set(outer, following);
    outer.addEventListener('abort', () => {
      for (const call of following) call.abort(outer.reason);
    }, { once: true });
  }
  calls.add(controller);
  const added = calls;
  return () => void added.delete(controller);
}

export function fetchWithCallTimeout(fetchFn: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init = {}) => {
    const controller = new AbortController();
    const outer = init.signal ?? undefined;
    if (outer?.aborted) throw outer.reason;
    const timer = setTimeout(() => controller.abort(new SubgraphTimeoutError(`subgraph call exceeded ${timeoutMs} ms`)), timeoutMs);
    const unfollow = outer ? follow(outer, controller) : undefined;
    try {
      const response = await fetchFn(input, { ...init, signal: controller.signal });
      // Its body was read whole under the same signal.
      if (isBufferedResponse(response)) return response;
      // The body is part of the call: read it under the same deadline, then release everything.
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      clearTimeout(timer);
      unfollow?.();
    }
  };
}
