import { Kind, TypeInfo, getNamedType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Executor } from '@graphql-tools/utils';
import type { Role } from '@clinic/schema';
import { cellFor } from './access-matrix.js';
import type { Check } from './checks.js';
import { OWNER_KEY } from './record-keys.js';
import type { GatewayContext } from '../context.js';

const TYPENAME: SelectionSetNode['selections'][number] = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * Removes from a subgraph request every field the viewer's role can never read (whatever the
 * patient): personal information that would be nulled anyway does not cross the network. Fields
 * decided row by row (duty, restriction) are still fetched and decided after.
 */
export function withoutFieldsTheRoleCannotRead(document: DocumentNode, schema: GraphQLSchema, rules: Record<string, Record<string, Check[]>>, role: Role): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  let removed = false;
  const stripped = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const checks = parent ? rules[getNamedType(parent).name]?.[node.name.value] : undefined;
        // Keys stay: stitching merges records on `id`, the rules find their record and its owner by them.
        if (!checks || node.name.value === 'id' || node.alias?.value === OWNER_KEY || cellFor(checks, role) !== '—') return undefined;
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

/** Wraps a subgraph executor so that it only asks for what the caller's role may ever read. */
export function withMinimalDisclosure(executor: Executor, schema: () => GraphQLSchema, rules: Record<string, Record<string, Check[]>>): Executor {
  return (request) => {
    const role = (request.context as GatewayContext | undefined)?.access?.viewer?.role;
    return role ? executor({ ...request, document: withoutFieldsTheRoleCannotRead(request.document, schema(), rules, role) }) : executor(request);
  };
}
