import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface CostLimitOptions {
  maxCost: number;
  /** Rows assumed for a list without a `first` argument (a patient's allergies, a day's schedule). */
  assumedListSize: number;
}

function firstArgument(args: readonly { name: { value: string }; value: ValueNode }[] | undefined, variables: Record<string, unknown>): number | undefined {
  const first = args?.find((a) => a.name.value === 'first')?.value;
  if (!first) return undefined;
  const value = first.kind === Kind.INT ? Number(first.value) : first.kind === Kind.VARIABLE ? variables[first.name.value] : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Each field costs 1; a list multiplies the cost of what it selects by its size (`first`, else the
 * assumed size; 20 for a connection page). Nested lists multiply: 100 patients x 10 appointments x
 * their patient x ... Fragments count where they are spread, so they cannot hide cost.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>, options: CostLimitOptions): number {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => o.name?.value === operationName) ?? operations[0];
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return 0;

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, spreading: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += multiplier;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!field || !selection.selectionSet) continue;
        const named = getNamedType(field.type);
        const first = firstArgument(selection.arguments, variables);
        const rows = isListType(getNullableType(field.type)) ? (first ?? options.assumedListSize) : named.name.endsWith('Connection') ? (first ?? 20) : 1;
        total += costOf(selection.selectionSet, named, multiplier * rows, spreading);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? parent) : parent;
        total += costOf(selection.selectionSet, type, multiplier, spreading);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spreading.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        total += costOf(fragment.selectionSet, type, multiplier, new Set([...spreading, fragment.name.value]));
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, root, 1, new Set());
}

/** Refuses, before any subgraph is called, operations whose cost exceeds the limit. */
export function costLimitPlugin(options: CostLimitOptions): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }) {
          const cost = operationCost(schema, document, request.operationName, request.variables ?? {}, options);
          if (cost > options.maxCost) {
            throw new GraphQLError(`The query is too expensive: cost ${cost} exceeds the limit of ${options.maxCost}; ask for fewer rows or fewer nested lists`, {
              extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost: options.maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
