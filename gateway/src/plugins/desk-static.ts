import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { clinicTimeZone } from '@clinic/schema';

/**
 * Serves the built clinic desk (apps/desk, `npm run build -w @clinic/desk`) at /desk/ beside the
 * API, in local and demo mode: `npm start` brings it up at http://localhost:4000/desk/. In
 * production the desk is hosted like any static site, with its own config.json, on an origin
 * listed in GATEWAY_CORS_ORIGINS.
 */
export interface DeskOptions {
  /** The folder of the built desk (index.html and assets/). */
  dir: string;
  /** How the desk signs in here: `demo` (the gateway's /dev/ endpoints) or the clinic's OIDC provider. */
  signIn: { mode: 'demo' } | { mode: 'oidc'; authority: string; clientId: string };
}

export const DEFAULT_DESK_DIR = fileURLToPath(new URL('../../../apps/desk/dist', import.meta.url));

/** The desk's built folder when it was built, else undefined (the gateway then serves the API alone). */
export function builtDeskDir(dir: string = DEFAULT_DESK_DIR): string | undefined {
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

// The desk loads only its own files and talks only to this origin (and the OIDC provider).
const contentSecurityPolicy = (connect: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;

export function deskRoutes(options: DeskOptions): express.Router {
  const router = express.Router();
  const connect = options.signIn.mode === 'oidc' ? ` ${new URL(options.signIn.authority).origin}` : '';
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', contentSecurityPolicy(connect));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  router.get('/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    // The clinic's time zone: the desk's days and times are the clinic's, whatever the browser's zone.
    res.json({ graphqlUrl: '/graphql', signIn: options.signIn, timeZone: clinicTimeZone() });
  });
  router.use(express.static(options.dir, { index: 'index.html', fallthrough: true }));
  return router;
}
