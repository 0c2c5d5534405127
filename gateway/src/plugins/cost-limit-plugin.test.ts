import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from './cost-limit-plugin.js';

const schema = buildSchema(`
  type Query { patients(first: Int, after: String): PatientConnection  defaulted(first: Int = 50): [Patient!]! }
  type PatientConnection { nodes: [Patient!]! }
  type Patient { id: ID!  allergies: [String!] }
`);
const options = { maxCost: 100_000, assumedListSize: 10 };
const cost = (query: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(query), undefined, variables, options);

describe('operation cost uses the values the operation runs with', () => {
  const literal = cost('{ patients(first: 100) { nodes { id } } }');

  it('a variable default counts like the literal it stands for', () => {
    expect(cost('query($f: Int = 100) { patients(first: $f) { nodes { id } } }')).toBe(literal);
  });

  it('a variable value counts like the literal, and beats the default', () => {
    expect(cost('query($f: Int) { patients(first: $f) { nodes { id } } }', { f: 100 })).toBe(literal);
    expect(cost('query($f: Int = 1) { patients(first: $f) { nodes { id } } }', { f: 100 })).toBe(literal);
  });

  it('an argument default of the schema counts when the operation gives none', () => {
    expect(cost('{ defaulted { id } }')).toBe(cost('{ defaulted(first: 50) { id } }'));
    expect(cost('{ defaulted { id } }')).toBeGreaterThan(cost('{ defaulted(first: 10) { id } }'));
  });

  it('a variable given as a numeric string is not taken as a smaller page (it fails coercion: assumed size)', () => {
    expect(cost('query($f: Int) { patients(first: $f) { nodes { id } } }', { f: '100' })).toBe(cost('{ patients { nodes { id } } }'));
  });
});
