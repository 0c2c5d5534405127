import { Kind, TypeInfo, getNamedType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { CompiledPolicy, FieldPlan } from './compiled-policy.js';
import { OWNER_KEY } from './record-keys.js';

const TYPENAME: SelectionSetNode['selections'][number] = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * Removes from a subgraph request every field the reader's compiled plan refuses whatever the row
 * (their role, or two-factor authentication they did not use): personal information that would be
 * nulled anyway does not cross the network. Fields decided row by row are still fetched.
 */
export function withoutFieldsNeverServed(document: DocumentNode, schema: GraphQLSchema, policy: CompiledPolicy, plans: readonly FieldPlan[]): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  let removed = false;
  const stripped = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        // Keys stay: stitching merges records on `id`, the rules find their record and its owner by them.
        if (!parent || node.name.value === 'id' || node.alias?.value === OWNER_KEY || node.name.value.startsWith('_')) return undefined;
        const coordinate = `${getNamedType(parent).name}.${node.name.value}`;
        const index = policy.coordinates.includes(coordinate) ? policy.indexOf(coordinate) : -1;
        if (index < 0 || !plans[index]?.neverServed) return undefined;
        removed = true;
        return null;
      },
    }),
  );
  if (!removed) return document;
  return dropUnusedVariables(
    visit(stripped, {
      SelectionSet: { leave: (node) => (node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined) },
    }),
  );
}

/** Variables only the removed fields used would make the request invalid: drop their definitions. */
function dropUnusedVariables(document: DocumentNode): DocumentNode {
  const used = new Set<string>();
  visit(document, { Variable: (node) => void used.add(node.name.value), VariableDefinition: () => false });
  return visit(document, {
    OperationDefinition: (node: OperationDefinitionNode) => ({
      ...node,
      variableDefinitions: node.variableDefinitions?.filter((v) => used.has(v.variable.name.value)),
    }),
  });
}
