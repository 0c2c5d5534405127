import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships CommonJS and ESM builds; Node loads the CommonJS one for every package, so the
// tests must too, or schemas built by dependencies fail graphql's own instanceof checks.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

const include = ['schema/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'gateway/src/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * Test files that change process-wide state a later file in the same worker would see, so each
 * runs in a process of its own: the traces suite starts the OpenTelemetry SDK, which registers a
 * global tracer provider, context manager and propagator that stay after its shutdown.
 */
const ownProcess = ['test/platform/traces.int.test.ts'];

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    env: { NODE_ENV: 'test' },
    // Integration suites start real HTTP services and databases: give them room, one file at a time per core.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      // Most files share one module graph per worker (isolate: false): importing the gateway, the
      // subgraphs and their libraries once per worker instead of once per file was half the run.
      // Every suite still starts its own services on fresh databases, and each file restores what it
      // patches (fetch, env, fake timers) in a finally or afterEach.
      { extends: true, test: { name: 'shared', include, exclude: ownProcess, isolate: false } },
      { extends: true, test: { name: 'own-process', include: ownProcess } },
    ],
    // CI also writes a JSON report for its closing summary line.
    reporters: process.env.VITEST_JSON_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON_REPORT ? { json: process.env.VITEST_JSON_REPORT } : {},
  },
});
