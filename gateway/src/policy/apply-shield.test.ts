import { execute, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware, type IMiddleware, type IMiddlewareFieldMap } from 'graphql-middleware';
import { describe, expect, it } from 'vitest';
import { applyShield } from './apply-shield.js';

const typeDefs = /* GraphQL */ `
  type Query { patients: [Patient!]! }
  type Patient { id: ID! name: String phone: String }
`;
const resolverOf = (schema: GraphQLSchema, type: string, field: string) => {
  const t = schema.getType(type);
  return isObjectType(t) ? t.getFields()[field]?.resolve : undefined;
};

describe('graphql-shield wrappers put around the resolvers', () => {
  it('runs the wrapper outside every other middleware, handing it the resolver and the four arguments as they are', async () => {
    const calls: string[] = [];
    const rows = [{ id: 'p-1', name: 'A', phone: '555' }];
    const schema = makeExecutableSchema({ typeDefs, resolvers: { Query: { patients: () => rows }, Patient: { name: (p: { name: string }) => (calls.push('resolver'), p.name) } } });
    const inner = applyMiddleware(schema, { Patient: { name: (resolve: (...a: unknown[]) => unknown, parent: unknown, args: unknown, ctx: unknown, info: unknown) => (calls.push('inner'), resolve(parent, args, ctx, info)) } } as unknown as IMiddleware);
    const seen: unknown[][] = [];
    const shielded = applyShield(inner, {
      Patient: {
        name: (resolve: (...a: unknown[]) => unknown, parent: unknown, args: unknown, ctx: unknown, info: unknown) => {
          calls.push('shield');
          seen.push([parent, args, ctx]);
          return resolve(parent, args, ctx, info);
        },
        // A refusal: the resolver is never called.
        phone: () => new Error('refused'),
      },
    } as unknown as IMiddlewareFieldMap);
    const contextValue = { request: 'r-1' };
    const result = await execute({ schema: shielded, document: parse('{ patients { id name phone } }'), contextValue });
    expect(result.data).toEqual({ patients: [{ id: 'p-1', name: 'A', phone: null }] });
    expect(result.errors?.map((e) => e.message)).toEqual(['refused']);
    expect(calls).toEqual(['shield', 'inner', 'resolver']);
    expect(seen).toEqual([[rows[0], {}, contextValue]]);
  });

  it('leaves the resolver of a field without a wrapper as it is, and wraps a field without a resolver around the default one', async () => {
    const schema = makeExecutableSchema({ typeDefs, resolvers: { Query: { patients: () => [{ id: 'p-1', name: 'A', phone: '555' }] } } });
    const shielded = applyShield(schema, { Patient: { phone: (resolve: (...a: unknown[]) => unknown, ...rest: unknown[]) => `<${String(resolve(...rest))}>` } } as unknown as IMiddlewareFieldMap);
    expect(resolverOf(shielded, 'Query', 'patients')).toBe(resolverOf(schema, 'Query', 'patients'));
    expect(resolverOf(shielded, 'Patient', 'phone')).not.toBe(resolverOf(schema, 'Patient', 'phone'));
    const result = await execute({ schema: shielded, document: parse('{ patients { phone } }') });
    expect(result.data).toEqual({ patients: [{ phone: '<555>' }] });
  });

  it('refuses a wrapper that is not a function (graphql-shield makes objects only for rules with fragments, which the rules file has none of)', () => {
    const schema = makeExecutableSchema({ typeDefs });
    expect(() => applyShield(schema, { Patient: { phone: { fragment: '... on Patient { id }', resolve: () => null } } } as never)).toThrow(/Patient.phone is not a function/);
  });
});
