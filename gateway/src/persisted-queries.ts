import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';

/**
 * Automatic persisted queries (a query sent once, then by its SHA-256): what a client gets wrong is
 * answered as a clear 4xx before Apollo Server sees it, never as an internal error with a stack in
 * the error log (any client could fill the log): a malformed `persistedQuery` extension, a version
 * other than 1, a hash that is not 64 hexadecimal digits or not the hash of the query sent (400),
 * and a hash this gateway does not know (404 PERSISTED_QUERY_NOT_FOUND: send the query with it).
 */
const SHA256_HEX = /^[0-9a-f]{64}$/;

const refuse = (res: Response, message: string) => res.status(400).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST', requestId: res.locals.requestId } }] });

/** The request's `extensions`: a JSON object in a POST body, JSON text in a GET query string. */
function extensionsOf(req: Request): { ok: true; value: unknown } | { ok: false } {
  if (req.method === 'GET') {
    const raw = req.query.extensions;
    if (raw === undefined) return { ok: true, value: undefined };
    if (typeof raw !== 'string') return { ok: false };
    try {
      return { ok: true, value: JSON.parse(raw) as unknown };
    } catch {
      return { ok: false };
    }
  }
  const body: unknown = req.body;
  return { ok: true, value: typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).extensions : undefined };
}

const queryOf = (req: Request): unknown => (req.method === 'GET' ? req.query.query : (req.body as Record<string, unknown> | undefined)?.query);

/** Express guard in front of /graphql. */
export function persistedQueryGuard(req: Request, res: Response, next: NextFunction): void {
  const extensions = extensionsOf(req);
  if (!extensions.ok) return void refuse(res, 'extensions must be a JSON object');
  if (extensions.value === undefined || extensions.value === null) return next();
  if (typeof extensions.value !== 'object' || Array.isArray(extensions.value)) return void refuse(res, 'extensions must be a JSON object');
  const persisted = (extensions.value as Record<string, unknown>).persistedQuery;
  if (persisted === undefined) return next();
  if (typeof persisted !== 'object' || persisted === null || Array.isArray(persisted)) return void refuse(res, 'extensions.persistedQuery must be an object { version: 1, sha256Hash }');
  const { version, sha256Hash } = persisted as Record<string, unknown>;
  if (version !== 1) return void refuse(res, 'Persisted queries: only version 1 is supported');
  if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) return void refuse(res, 'Persisted queries: sha256Hash must be 64 lower-case hexadecimal digits');
  const query = queryOf(req);
  if (query !== undefined && (typeof query !== 'string' || createHash('sha256').update(query).digest('hex') !== sha256Hash)) {
    return void refuse(res, 'Persisted queries: sha256Hash is not the SHA-256 of the query sent with it');
  }
  next();
}

/** An unknown hash is a 404 (Apollo Server answers 200): the client sends the query with its hash. */
export function persistedQueryNotFoundPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          if (response.body.singleResult.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) response.http.status = 404;
        },
      };
    },
  };
}
