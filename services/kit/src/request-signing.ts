import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { dataDir } from './config.js';
import { createFileOnce } from './create-file-once.js';

/**
 * Subgraphs answer only the gateway: every request to /graphql and /internal/* carries an HMAC
 * (SHA-256, shared secret) over a timestamp, the method, the path, the headers that carry identity
 * (request id, viewer id) and the body. Unsigned, stale, tampered or replayed requests get 401.
 */
export const SIGNATURE_HEADER = 'x-gateway-signature';
export const TIMESTAMP_HEADER = 'x-gateway-timestamp';
/** A random value per request, so two identical requests in the same millisecond sign differently. */
export const NONCE_HEADER = 'x-gateway-nonce';
/** Headers covered by the signature, in this order. */
/** `x-request-at`: the gateway's request clock, so a subgraph's writes and the gateway's decisions share one instant. */
const SIGNED_HEADERS = [NONCE_HEADER, 'x-request-id', 'x-viewer-id', 'x-request-at'] as const;
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

/** A fetch that signs what it sends (the gateway's side). */
export function signedFetch(secret: string, now: () => number = Date.now): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : '';
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new Error('signed fetch: only string bodies are signed');
    const timestamp = String(now());
    headers.set(TIMESTAMP_HEADER, timestamp);
    headers.set(NONCE_HEADER, randomUUID());
    headers.set(
      SIGNATURE_HEADER,
      signature(secret, { timestamp, method: init.method ?? 'GET', path: url.pathname + url.search, headers: SIGNED_HEADERS.map((h) => headers.get(h) ?? undefined), body }),
    );
    return fetch(url, { ...init, headers });
  };
}

/** Remembers signatures inside their validity window, so a captured request cannot be sent again. */
class SeenSignatures {
  private readonly seen = new Map<string, number>();

  /** False when the signature was already used. */
  add(sig: string, at: number): boolean {
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

/** The subgraph's side: refuses any request not signed by the gateway, with 401 and no data. */
export function requireGatewaySignature(secret: string, now: () => number = Date.now) {
  const seen = new SeenSignatures();
  const refuse = (res: Response, why: string) => res.status(401).json({ errors: [{ message: `Refused: ${why}; subgraphs answer only the gateway`, extensions: { code: 'UNAUTHENTICATED' } }] });
  return (req: Request, res: Response, next: NextFunction) => {
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
    if (!seen.add(given, at)) return refuse(res, 'request replayed');
    return next();
  };
}
