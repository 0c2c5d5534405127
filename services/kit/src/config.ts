import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subgraphInfo, type SubgraphName } from '@clinic/schema';

/** Where the embedded SQLite files live unless DATA_DIR says otherwise: `<repo>/data` (git-ignored). */
export const defaultDataDir = fileURLToPath(new URL('../../../data', import.meta.url));

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = resolve(env.DATA_DIR ?? defaultDataDir);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string };

/**
 * `<NAME>_DATABASE_URL` (or `DATABASE_URL` when a service runs alone) switches a service (or the
 * gateway's audit store, NAME = AUDIT) to
 * PostgreSQL; otherwise it uses its SQLite file in the data folder.
 */
export function databaseTarget(service: string, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const url = env[`${service.toUpperCase()}_DATABASE_URL`] ?? env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`${service}: DATABASE_URL must be a postgres:// URL (SQLite is the default when unset)`);
    }
    return { kind: 'postgresql', url };
  }
  return { kind: 'sqlite', file: resolve(dataDir(env), `${service}.sqlite`) };
}

export function servicePort(service: SubgraphName, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[`${service.toUpperCase()}_PORT`];
  return raw === undefined ? subgraphInfo(service).defaultPort : parsePort(raw, `${service.toUpperCase()}_PORT`);
}

export function parsePort(raw: string, name: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`config: ${name} must be a port number, got "${raw}"`);
  return port;
}

/** Services bind to loopback unless told otherwise: the gateway is the only public door. */
export function bindHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST ?? '127.0.0.1';
}
