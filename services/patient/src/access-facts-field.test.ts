import { parse, type FieldNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withFactsOfTheirPatients } from './access-facts-field.js';

/** The resolve info of the operation's first field, as graphql-js hands it to that field's resolver. */
function infoOf(query: string): GraphQLResolveInfo {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments: {} } as unknown as GraphQLResolveInfo;
}

/** A request of the gateway's: a signed reader, a clinic day, and a batch of facts that records what it is asked to prefetch. */
function gatewayRequest() {
  const prefetched: string[][] = [];
  const batch = { known: new Map<string, string>(), load: async () => '{}', prefetch: async (ids: readonly string[]) => void prefetched.push([...ids]) };
  const ctx = {
    viewerId: 'e-roy',
    now: new Date('2026-03-02T15:00:00Z'),
    readerFacts: { id: 'e-roy', role: 'RECEPTIONIST', namesReadable: true, nameFields: ['Patient.firstName'] },
    loaders: { accessFacts: { of: () => batch } },
  };
  return { ctx: ctx as never, prefetched };
}

const rows = [{ patientId: 'p-1' }, { patientId: 'p-2' }, { patientId: 'p-1' }];

describe("a day's schedule loads its patients' access facts at once", () => {
  it('prefetches the facts of the patients the rows name, each once, when a selection of their patient asks them (under any alias)', async () => {
    const { ctx, prefetched } = gatewayRequest();
    const info = infoOf('{ appointments { id patient { id } owner: patient { id access: _accessFacts } } }');
    expect(await withFactsOfTheirPatients(rows, 'patient', ctx, info)).toBe(rows);
    expect(prefetched).toEqual([['p-1', 'p-2']]);
  });

  it('asks nothing, and answers the rows at once, when no selection of the patient asks for facts', () => {
    const { ctx, prefetched } = gatewayRequest();
    expect(withFactsOfTheirPatients(rows, 'patient', ctx, infoOf('{ appointments { id patient { id firstName } } }'))).toBe(rows);
    expect(withFactsOfTheirPatients(rows, 'patient', ctx, infoOf('{ appointments { id reason } }'))).toBe(rows);
    expect(prefetched).toEqual([]);
  });

  it('leaves a request without a verified reader to meet the field refusal on each row', () => {
    const { ctx, prefetched } = gatewayRequest();
    const unsigned = { ...(ctx as object), viewerId: undefined };
    expect(withFactsOfTheirPatients(rows, 'patient', unsigned as never, infoOf('{ appointments { patient { _accessFacts } } }'))).toBe(rows);
    expect(prefetched).toEqual([]);
  });
});
