import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@clinic/service-kit';
import { openAuditStore, type AuditStore } from './audit-store/audit-store.js';
import { startGateway, type GatewayOptions } from './create-gateway.js';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys } from './identity/dev-keys.js';

// Nothing listens there: these tests only start (or refuse to start) the gateway. Every store
// and key is given, so that not even a regression reads or writes the data folder.
const options: GatewayOptions = {
  port: 0,
  host: '127.0.0.1',
  subgraphUrls: { patient: 'http://127.0.0.1:1/graphql', employee: 'http://127.0.0.1:1/graphql', billing: 'http://127.0.0.1:1/graphql' },
  subgraphTimeoutMs: 1000,
  signingSecret: 'unit-test-signing-secret-of-at-least-32-characters',
  logger: createLogger('gateway'),
};
const REFUSAL = /benchmarks only and refuses to start in production/;

describe('the bench-only setting that switches the access rules off', () => {
  let dir: string;
  let benchOptions: GatewayOptions;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-bench-option-'));
    const keys = await loadOrCreateDevKeys(dir);
    benchOptions = {
      ...options,
      unsafeDisableRulesForBenchmark: true,
      tokens: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM], key: keys.publicKey },
      auditStore: {} as AuditStore,
    };
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start when NODE_ENV=production', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    await expect(startGateway(benchOptions)).rejects.toThrow(REFUSAL);
  });

  it('refuses to start with the production setting', async () => {
    await expect(startGateway({ ...benchOptions, production: true })).rejects.toThrow(REFUSAL);
  });

  it('starts outside production (for `npm run bench`)', async () => {
    const auditStore = await openAuditStore({ target: { kind: 'sqlite', file: join(dir, 'audit.sqlite') } });
    try {
      const gateway = await startGateway({ ...benchOptions, auditStore });
      await gateway.stop();
    } finally {
      await auditStore.close();
    }
  });

  it('is not reachable from the environment or the start-up script', () => {
    for (const file of ['main.ts', 'config.ts']) {
      expect(readFileSync(new URL(file, import.meta.url), 'utf8'), file).not.toMatch(/unsafeDisableRules|DISABLE_RULES/i);
    }
  });
});
