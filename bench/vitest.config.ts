import { defineConfig } from 'vitest/config';
import root from '../vitest.config.js';

// The benchmark's own unit tests (never timed), with the root settings but not its projects:
// `npm run test:bench`, part of `npm test`. Not in CI's JSON report (.ci/run), which the main test
// run writes alone.
const { projects: _projects, ...settings } = root.test ?? {};
export default defineConfig({ ...root, test: { ...settings, include: ['bench/**/*.test.ts'], reporters: ['default'], outputFile: {} } });
