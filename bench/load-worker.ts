// The load generator (autocannon), in a worker thread of the benchmark: it keeps its own event loop
// so that it never competes with the gateway being measured for the main thread.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { serve } from './worker-rpc.js';

export interface LoadJob {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Sign every request with this secret for this subgraph, as the gateway does (calls straight to a subgraph). */
  signWith?: { secret: string; audience: string };
  connections: number;
  seconds: number;
  /** Upper bound on the requests of this run, whatever its duration. */
  maxRequests: number;
}

export interface LoadResult {
  /**
   * Throughput: connections / mean latency (Little's law for a closed loop, where every connection
   * sends its next request when the last one is answered). Unlike responses / duration, it does
   * not lose the requests still in flight when a short window closes, which would penalize the
   * slowest target most.
   */
  rps: number;
  /** Successful (2xx) responses completed inside the window, per second (for comparison). */
  completedPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

/**
 * The headers service-kit's `signedFetch` would send for this request: the benchmark signs with the
 * project's own code, so it follows the signing protocol wherever it goes. Its transport here keeps
 * the signed headers and sends nothing; it is called synchronously (this thread makes no other call).
 */
async function signer({ secret, audience }: { secret: string; audience: string }): Promise<(url: string, body: string, headers: Record<string, string>) => Record<string, string>> {
  // Loaded only for the direct calls, straight from the kit's file: the whole kit would take seconds to load.
  const { signedFetch } = await import('../services/kit/src/request-signing.js');
  const captured: { headers?: Headers } = {};
  const capture = (async (_input: unknown, init?: RequestInit) => {
    captured.headers = new Headers(init?.headers);
    return new Response(null);
  }) as typeof fetch;
  const sign = signedFetch(secret, { audience, transport: capture });
  return (url, body, headers) => {
    captured.headers = undefined;
    void sign(url, { method: 'POST', headers, body });
    // (TypeScript cannot see that the call above set it.)
    const signed = captured.headers as Headers | undefined;
    if (!signed) throw new Error('bench: signedFetch no longer hands the signed request to its transport synchronously; the direct-subgraph baseline cannot sign');
    return Object.fromEntries(signed.entries());
  };
}

const aggregate = (raw: autocannon.Result, options: autocannon.Options): autocannon.Result =>
  raw.latency ? raw : (autocannon as unknown as { aggregateResult(results: unknown[], options: autocannon.Options): autocannon.Result }).aggregateResult([raw], options);

async function run(job: LoadJob): Promise<LoadResult> {
  const sign = job.signWith ? await signer(job.signWith) : undefined;
  const { pathname } = new URL(job.url);
  const options: autocannon.Options = {
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    maxOverallRequests: job.maxRequests,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: pathname,
        headers: job.headers,
        body: job.body,
        // A fresh request id and signature per request: the subgraphs refuse replays.
        ...(sign ? { setupRequest: (request) => ({ ...request, headers: sign(job.url, job.body, { ...job.headers, 'x-request-id': randomUUID() }) }) } : {}),
      },
    ],
  };
  return new Promise((resolve, reject) => {
    autocannon(options, (err, raw) => {
      if (err) return reject(err);
      // In a worker thread autocannon hands back its raw histograms: aggregate them as its main thread would.
      const result = aggregate(raw, options);
      resolve({
        rps: result['2xx'] > 0 ? (job.connections * 1000) / result.latency.mean : 0,
        completedPerSecond: result['2xx'] / result.duration,
        meanMs: result.latency.mean,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        responses: result['2xx'] + result.non2xx,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        seconds: result.duration,
      });
    });
  });
}

const handlers = { run };
export type LoadHandlers = typeof handlers;

serve(handlers);
