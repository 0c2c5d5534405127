import cors from 'cors';
import type express from 'express';

/**
 * GATEWAY_CORS_ORIGINS: the browser origins allowed to call /graphql from another origin (a desk
 * hosted elsewhere). None by default: browsers then refuse cross-origin calls. `*` allows any
 * origin but never with credentials. Apollo's CSRF prevention stays on either way: a cross-origin
 * request must be preflighted (JSON content type or an Apollo preflight header), and only listed
 * origins pass the preflight.
 */
export interface CorsOptions {
  origins: readonly string[];
}

const ORIGIN = /^https?:\/\/[^/?#\s]+$/;

/** Parses and checks the allow-list; fails fast on anything that is not an origin. */
export function corsOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (origin !== '*' && !ORIGIN.test(origin)) throw new Error(`config: GATEWAY_CORS_ORIGINS: "${origin}" is not an origin such as https://desk.clinic.example`);
  }
  if (origins.includes('*') && origins.length > 1) throw new Error('config: GATEWAY_CORS_ORIGINS: "*" cannot be combined with named origins');
  return origins.map((o) => (o === '*' ? o : new URL(o).origin));
}

/** Express middleware for /graphql; undefined when no origin is allowed (same-origin only). */
export function useCors(options: CorsOptions): express.RequestHandler | undefined {
  if (options.origins.length === 0) return undefined;
  const anyOrigin = options.origins.includes('*');
  return cors({
    origin: anyOrigin ? '*' : [...options.origins],
    // Credentials only ever for named origins; the API uses bearer tokens, not cookies, anyway.
    credentials: !anyOrigin,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'apollographql-client-name', 'apollographql-client-version', 'apollo-require-preflight', 'x-apollo-operation-name'],
    maxAge: 600,
  });
}
