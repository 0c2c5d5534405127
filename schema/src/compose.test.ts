import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { composeSupergraph, readSupergraphSdl } from './compose.js';

describe('supergraph composition', () => {
  it('composes the three subgraphs without errors', () => {
    const outcome = composeSupergraph();
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
  });

  it('keeps schema/supergraph.graphql up to date (run `npm run compose` after changing a subgraph)', () => {
    const outcome = composeSupergraph();
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(readSupergraphSdl()).toBe(outcome.supergraphSdl);
  });

  it('exposes the entities of SPEC section 13 with their owners joined', () => {
    const schema = buildSchema(readSupergraphSdl(), { assumeValidSDL: true });
    const patient = schema.getType('Patient');
    expect(patient && 'getFields' in patient ? Object.keys(patient.getFields()) : []).toEqual(
      expect.arrayContaining(['id', 'firstName', 'healthInsuranceNumber', 'clinicalNotes', 'careTeam', 'invoices', 'balance']),
    );
    const query = schema.getQueryType();
    expect(Object.keys(query?.getFields() ?? {})).toEqual(expect.arrayContaining(['patient', 'patients', 'employee', 'employees', 'invoice', 'appointments']));
  });
});
