import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express from 'express';

/**
 * The developers' GraphQL IDE outside production: GraphiQL, bundled with the desk
 * (apps/desk/graphiql.html) from the installed graphiql package, served at /graphiql. It loads
 * nothing from the internet (the page's content security policy allows this origin only) and
 * sends no telemetry. Opening /graphql in a browser leads there instead of Apollo's Sandbox,
 * which needs the internet. A production gateway serves neither.
 */
export interface GraphiqlOptions {
  /** The built desk folder, which holds graphiql.html and its assets (served under /desk/). */
  deskDir: string;
}

// Monaco (GraphiQL's editor) sets inline styles and runs its language services in workers.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

export function graphiqlRoutes(options: GraphiqlOptions): express.Router | undefined {
  const page = join(options.deskDir, 'graphiql.html');
  if (!existsSync(page)) return undefined;
  const router = express.Router();
  router.get('/', (_req, res) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('cache-control', 'no-store');
    res.sendFile(page);
  });
  return router;
}

/** Apollo's landing page for GET /graphql in a browser: a link to GraphiQL instead of the online Sandbox. */
export function graphiqlLandingPage(available: boolean): ApolloServerPlugin {
  const html = available
    ? '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/graphiql"><title>Clinic gateway</title></head><body><p><a href="/graphiql">GraphiQL</a></p></body></html>'
    : '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic gateway</title></head><body><p>The GraphQL endpoint of the clinic gateway. Build the desk (<code>npm run build -w @clinic/desk</code>) for GraphiQL at /graphiql.</p></body></html>';
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
