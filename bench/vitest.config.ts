import { defineConfig } from 'vitest/config';
import root from '../vitest.config.js';

// The benchmark's own unit tests (never timed), with the root settings: `npm run test:bench`, part
// of `npm test`. Not in CI's JSON report (.ci/run), which the main test run writes alone.
export default defineConfig({ ...root, test: { ...root.test, include: ['bench/**/*.test.ts'], reporters: ['default'], outputFile: {} } });
