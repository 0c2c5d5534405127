import { buildSchema, isObjectType } from 'graphql';
import { readSupergraphSdl } from './compose.js';

let cache: Map<string, string[]> | undefined;

/** The field names of an object type of the composed supergraph (all subgraphs together). */
export function supergraphFieldsOf(typeName: string): string[] {
  if (!cache) {
    const schema = buildSchema(readSupergraphSdl(), { assumeValidSDL: true });
    cache = new Map(
      Object.values(schema.getTypeMap())
        .filter(isObjectType)
        .map((type) => [type.name, Object.keys(type.getFields())]),
    );
  }
  return cache.get(typeName) ?? [];
}
