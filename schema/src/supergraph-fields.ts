import { buildSchema, isObjectType, type GraphQLField } from 'graphql';
import { readSupergraphSdl } from './compose.js';

let cache: Map<string, string[]> | undefined;

/** A field the supergraph keeps for the gateway only (`@inaccessible`): never served, never restrictable. */
const isInaccessible = (field: GraphQLField<unknown, unknown>) => field.astNode?.directives?.some((d) => d.name.value === 'inaccessible') ?? false;

/** The field names clients can see of an object type of the composed supergraph (all subgraphs together). */
export function supergraphFieldsOf(typeName: string): string[] {
  if (!cache) {
    const schema = buildSchema(readSupergraphSdl(), { assumeValidSDL: true });
    cache = new Map(
      Object.values(schema.getTypeMap())
        .filter(isObjectType)
        .map((type) => [type.name, Object.values(type.getFields()).filter((field) => !isInaccessible(field)).map((field) => field.name)]),
    );
  }
  return cache.get(typeName) ?? [];
}
