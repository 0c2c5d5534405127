import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedApiSchema } from '@clinic/gateway';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

describe('the committed client-facing schema', () => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend: 'sqlite' });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('is exactly what the running gateway answers to introspection', async () => {
    const answer = await system.query<IntrospectionQuery>(getIntrospectionQuery(), undefined, { as: 'reception.roy' });
    expect(answer.errors).toBeUndefined();
    const live = printSchema(lexicographicSortSchema(buildClientSchema(answer.data as IntrospectionQuery)));
    expect(committedApiSchema()?.replace(/^#.*\n\n/, '')).toBe(live);
  });
});
