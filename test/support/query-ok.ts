import { expect } from 'vitest';
import type { Caller, ClinicSystem } from './clinic-system.js';

/** Posts an operation that must succeed: the test fails on any error (printed whole) and gets the data. */
export async function queryOk<T>(system: Pick<ClinicSystem, 'query'>, query: string, caller: Caller, variables?: Record<string, unknown>): Promise<T> {
  const res = await system.query<T>(query, variables, caller);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data as T;
}
