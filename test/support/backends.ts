/** Databases the integration suites run on: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set. */
export type Backend = 'sqlite' | 'postgresql';

export function testBackends(): Backend[] {
  if (process.env.TEST_POSTGRES_URL) return ['sqlite', 'postgresql'];
  if (process.env.CI) throw new Error('CI must run the integration suites on PostgreSQL too: set TEST_POSTGRES_URL (.ci/run does)');
  return ['sqlite'];
}
