import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type express from 'express';

/**
 * Trusted documents (persisted-query safelisting): the gateway can be told to run only the
 * operations its clients ship, registered by the SHA-256 hash of their text. Manifests are JSON
 * objects `{ "sha256:<hex>": "<document>" }` (the prefix is optional), as GraphQL Code
 * Generator's client preset writes them (the desk's is apps/desk/src/gql/persisted-documents.json).
 *
 * A client sends a registered operation by id (`documentId`, or Apollo's
 * `extensions.persistedQuery.sha256Hash`): the registered text runs, whatever text came with it.
 * Or by its exact registered text. With `only` (production, when manifests are given) any other
 * document gets 400 and a message saying so; without it, free text runs too (development, GraphiQL).
 */
export interface TrustedDocumentsOptions {
  /** Registered documents by the SHA-256 (hex) of their text. */
  documents: ReadonlyMap<string, string>;
  /** Refuse every operation that is not registered. */
  only: boolean;
}

/** Ids are the hex SHA-256, with or without the `sha256:` prefix. */
const hexOf = (id: string) => (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id);

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads manifests and checks every id is its document's hash (a wrong manifest fails the start). */
export function loadTrustedDocuments(files: readonly string[]): Map<string, string> {
  const documents = new Map<string, string>();
  for (const file of files) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [key, text] of Object.entries(manifest)) {
      const id = hexOf(key);
      if (typeof text !== 'string' || sha256(text) !== id) throw new Error(`config: GATEWAY_TRUSTED_DOCUMENTS: ${file}: "${key}" is not the SHA-256 of its document`);
      documents.set(id, text);
    }
  }
  return documents;
}

const refuse = (res: express.Response, code: string, message: string) => {
  res.status(400).json({ errors: [{ message, extensions: { code } }] });
};

/** Express guard for /graphql, after body parsing: resolves registered ids, refuses unregistered documents when `only`. */
export function useTrustedDocuments(options: TrustedDocumentsOptions): express.RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') {
      const search = new URL(req.originalUrl, 'http://gateway').searchParams;
      if (options.only && (search.has('query') || search.has('documentId') || search.has('extensions'))) {
        refuse(res, 'TRUSTED_DOCUMENT_REQUIRED', 'Only registered operations run on this gateway: send them by POST');
        return;
      }
      next();
      return;
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return next();
    const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
    const id = body.documentId ?? extensions?.persistedQuery?.sha256Hash;
    if (typeof id !== 'string') {
      if (options.only && (typeof body.query !== 'string' || !options.documents.has(sha256(body.query)))) {
        refuse(res, 'TRUSTED_DOCUMENT_REQUIRED', 'Only registered operations run on this gateway, and this document is not registered');
        return;
      }
      delete body.documentId;
      return next();
    }
    const text = options.documents.get(hexOf(id));
    if (text === undefined) {
      // Without `only`, Apollo's own automatic persisted queries answer hashes it was sent before.
      if (!options.only && body.documentId === undefined) return next();
      if (!options.only && typeof body.query === 'string') {
        delete body.documentId;
        return next();
      }
      refuse(res, 'PERSISTED_QUERY_NOT_FOUND', `Unknown document id "${id.slice(0, 64)}": this operation is not registered with the gateway`);
      return;
    }
    body.query = text;
    delete body.documentId;
    // Apollo checks a persisted-query hash against the text; the registered text is the one that runs.
    if (extensions?.persistedQuery) delete extensions.persistedQuery;
    next();
  };
}
