import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { dataDir } from './config.js';
import { createFileOnce } from './create-file-once.js';

/**
 * Subgraphs answer only the gateway: every request to /graphql and /internal/* carries an HMAC
 * (SHA-256, shared secret) over a timestamp, the method, the path, the service it is for, the
 * headers that carry identity, time and trace (request id, viewer id, request time, trace context)
 * and the body. Unsigned, stale, tampered or replayed requests get 401.
 */
export const SIGNATURE_HEADER = 'x-gateway-signature';
export const TIMESTAMP_HEADER = 'x-gateway-timestamp';
/** A random value per request, so two identical requests in the same millisecond sign differently. */
export const NONCE_HEADER = 'x-gateway-nonce';
/** The service a request is signed for: a request signed for one subgraph is refused by every other. */
export const AUDIENCE_HEADER = 'x-gateway-audience';
/** The gateway's time for the whole request (ms since the epoch): what subgraphs stamp and match with. */
export const REQUEST_TIME_HEADER = 'x-gateway-request-time';
/** Headers covered by the signature, in this order. */
const SIGNED_HEADERS = [NONCE_HEADER, AUDIENCE_HEADER, REQUEST_TIME_HEADER, 'x-request-id', 'x-viewer-id', 'traceparent', 'tracestate'] as const;
/** How far a signed request's clock may be from the subgraph's. */
export const SIGNATURE_MAX_AGE_MS = 30_000;
const MIN_SECRET_LENGTH = 32;

/**
 * The shared secret: GATEWAY_SIGNING_SECRET (at least 32 characters), or in local mode a random one
 * generated into the data folder on first start. Production without it refuses to start.
 */
export function signingSecret(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.GATEWAY_SIGNING_SECRET;
  if (configured !== undefined) {
    if (configured.length < MIN_SECRET_LENGTH) throw new Error(`config: GATEWAY_SIGNING_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    return configured;
  }
  if (env.NODE_ENV === 'production') throw new Error('config: NODE_ENV=production needs GATEWAY_SIGNING_SECRET');
  const file = join(dataDir(env), 'gateway-signing-secret');
  if (!existsSync(file)) createFileOnce(file, () => randomBytes(32).toString('base64url'));
  return readFileSync(file, 'utf8').trim();
}

function signature(secret: string, parts: { timestamp: string; method: string; path: string; headers: (string | undefined)[]; body: string | Buffer }): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  const material = [parts.timestamp, parts.method.toUpperCase(), parts.path, ...parts.headers.map((h) => h ?? ''), bodyHash].join('\n');
  return createHmac('sha256', secret).update(material).digest('base64url');
}

export interface SignedFetchOptions {
  /**
   * The service each request is for: a name, or the name for a URL (see `audienceByOrigin`). A URL
   * with no service is not sent.
   */
  audience: string | ((url: URL) => string | undefined);
  now?: () => number;
  /** What sends the signed request: the global fetch unless told (the gateway gives bufferedFetch). */
  transport?: typeof fetch;
}

/**
 * The subgraph a URL belongs to, by origin (scheme, host and port), for `SignedFetchOptions.audience`.
 * An origin shared by two subgraphs names neither (nothing is sent there; gatewayConfig refuses it).
 */
export function audienceByOrigin(urls: Record<string, string>): (url: URL) => string | undefined {
  const byOrigin = new Map<string, string | undefined>();
  for (const [name, url] of Object.entries(urls)) {
    const { origin } = new URL(url);
    byOrigin.set(origin, byOrigin.has(origin) && byOrigin.get(origin) !== name ? undefined : name);
  }
  return (url) => byOrigin.get(url.origin);
}

/** A fetch that signs what it sends (the gateway's side). */
export function signedFetch(secret: string, options: SignedFetchOptions): typeof fetch {
  const now = options.now ?? Date.now;
  // The global fetch as it is at each call, not at creation.
  const transport: typeof fetch = options.transport ?? ((input, init) => fetch(input, init));
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : '';
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new Error('signed fetch: only string bodies are signed');
    const audience = typeof options.audience === 'string' ? options.audience : options.audience(url);
    if (!audience) throw new Error(`signed fetch: ${url.origin} is no known service`);
    const timestamp = String(now());
    headers.set(TIMESTAMP_HEADER, timestamp);
    headers.set(NONCE_HEADER, randomUUID());
    headers.set(AUDIENCE_HEADER, audience);
    if (!headers.has(REQUEST_TIME_HEADER)) headers.set(REQUEST_TIME_HEADER, timestamp);
    headers.set(
      SIGNATURE_HEADER,
      signature(secret, { timestamp, method: init.method ?? 'GET', path: url.pathname + url.search, headers: SIGNED_HEADERS.map((h) => headers.get(h) ?? undefined), body }),
    );
    return transport(url, { ...init, headers });
  };
}

/**
 * Remembers signatures inside their validity window, so a captured request cannot be sent again.
 * Per process by default; replicas of a subgraph share one in Redis (replay-memory-redis.ts).
 */
export interface ReplayMemory {
  /** False when the signature was already used (by this process or, when shared, by another replica). */
  firstUse(sig: string, at: number): Promise<boolean>;
}

/** This process's memory of signatures seen inside their window. */
export class LocalReplayMemory implements ReplayMemory {
  private readonly seen = new Map<string, number>();

  async firstUse(sig: string, at: number): Promise<boolean> {
    if (this.seen.has(sig)) return false;
    this.seen.set(sig, at);
    // Entries are kept in arrival order: forget from the oldest until one is still inside the window,
    // so each request costs only the entries that expired since the last one.
    for (const [key, when] of this.seen) {
      if (when >= at - 2 * SIGNATURE_MAX_AGE_MS) break;
      this.seen.delete(key);
    }
    return true;
  }
}

/** Express body parser option that keeps the raw body for signature checks. */
export function keepRawBody(req: Request, _res: Response, buf: Buffer): void {
  (req as Request & { rawBody?: Buffer }).rawBody = buf;
}

export interface GatewaySignatureOptions {
  /** This service's name: requests signed for another one are refused. */
  audience: string;
  replays?: ReplayMemory;
  now?: () => number;
  /** Told why each refused request was refused (metrics; a short fixed text). */
  onRefusal?: (why: string) => void;
}

/** The gateway's request time of a request whose signature was checked (`REQUEST_TIME_HEADER`). */
export function signedRequestTime(req: Request): Date | undefined {
  return (req as Request & { signedRequestTime?: Date }).signedRequestTime;
}

/** The subgraph's side: refuses any request not signed by the gateway for this service, with 401 and no data. */
export function requireGatewaySignature(secret: string, options: GatewaySignatureOptions) {
  const seen = options.replays ?? new LocalReplayMemory();
  const now = options.now ?? Date.now;
  const refuse = (res: Response, why: string) => {
    options.onRefusal?.(why);
    return res.status(401).json({ errors: [{ message: `Refused: ${why}; subgraphs answer only the gateway`, extensions: { code: 'UNAUTHENTICATED' } }] });
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const given = req.header(SIGNATURE_HEADER);
    const timestamp = req.header(TIMESTAMP_HEADER);
    if (!given || !timestamp || !/^\d{10,16}$/.test(timestamp) || !req.header(NONCE_HEADER)) return refuse(res, 'request not signed');
    const at = now();
    if (Math.abs(at - Number(timestamp)) > SIGNATURE_MAX_AGE_MS) return refuse(res, 'signature expired');
    const rawBody = (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const expected = signature(secret, { timestamp, method: req.method, path: req.originalUrl, headers: SIGNED_HEADERS.map((h) => req.header(h)), body: rawBody });
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return refuse(res, 'bad signature');
    // Checked after the signature, so the audience named is the one the gateway signed.
    if (req.header(AUDIENCE_HEADER) !== options.audience) return refuse(res, 'signed for another service');
    const requestTime = req.header(REQUEST_TIME_HEADER);
    if (!requestTime || !/^\d{10,16}$/.test(requestTime)) return refuse(res, 'request not signed');
    try {
      if (!(await seen.firstUse(given, at))) return refuse(res, 'request replayed');
    } catch {
      // Without the shared memory a replay cannot be told apart: refuse (fail closed), the gateway answers SERVICE_UNAVAILABLE.
      return res.status(503).json({ errors: [{ message: 'Replay memory unreachable', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    }
    (req as Request & { signedRequestTime?: Date }).signedRequestTime = new Date(Number(requestTime));
    return next();
  };
}
