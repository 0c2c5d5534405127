import { describe, expect, it } from 'vitest';
import { apiSchemaSdl, committedApiSchema } from './api-schema.js';

describe('the client-facing schema (schema/api.graphql)', () => {
  it('is up to date with the supergraph and the gateway fields (run `npm run compose` when this fails)', () => {
    expect(committedApiSchema()).toBe(apiSchemaSdl());
  });

  it('carries no federation directive or internal, and the gateway fields', () => {
    const sdl = apiSchemaSdl();
    for (const internal of ['@join__', '@link', '_entities', '_service', '_Any', 'directive @']) expect(sdl).not.toContain(internal);
    for (const gatewayField of ['me: Viewer!', 'myPatients: [Patient!]!', 'auditLog(', 'retentionReport: RetentionReport!', 'openEmergencyAccess(']) expect(sdl).toContain(gatewayField);
  });
});
