import express from 'express';
import { loadDemoClinic } from '@clinic/schema';
import type { DevKeyPair } from '../identity/dev-keys.js';
import { demoUser, mintDevToken } from '../identity/dev-tokens.js';

/**
 * The desk's demo sign-in (local and demo mode only): `GET /dev/demo-users` lists the demo
 * clinic's users, `POST /dev/demo-token {username, mfa}` answers a short-lived token signed with
 * the local dev key, exactly what `npm run token` prints. It never exists in production: the
 * factory refuses it, and a production gateway has no dev key to sign with anyway (OIDC only).
 */
export interface DemoSignInOptions {
  keys: DevKeyPair;
  production: boolean;
}

const TOKEN_LIFETIME = '1h';

export function demoSignInRoutes(options: DemoSignInOptions): express.Router {
  if (options.production || process.env.NODE_ENV === 'production') throw new Error('gateway: the demo sign-in refuses to exist in production');
  const clinic = loadDemoClinic();
  const users = [
    ...clinic.employees.map((e) => ({ username: e.username, id: e.id, role: e.role, name: `${e.firstName} ${e.lastName}`, note: e.terminationDayOffset !== null && e.terminationDayOffset <= 0 ? 'no longer works at the clinic' : null })),
    ...clinic.patients.map((p) => ({ username: p.username, id: p.id, role: 'PATIENT' as const, name: `${p.firstName} ${p.lastName}`, note: null })),
  ];
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  router.get('/demo-users', (_req, res) => {
    res.json({ users });
  });
  router.post('/demo-token', express.json({ limit: '1kb' }), async (req, res) => {
    const body = (req.body ?? {}) as { username?: unknown; mfa?: unknown };
    const user = typeof body.username === 'string' ? demoUser(body.username) : undefined;
    if (!user) {
      res.status(400).json({ error: 'username must be a demo clinic user (GET /dev/demo-users)' });
      return;
    }
    const token = await mintDevToken(options.keys, user, { mfa: body.mfa === true, expiresIn: TOKEN_LIFETIME });
    res.json({ token, expiresIn: 3600 });
  });
  return router;
}
