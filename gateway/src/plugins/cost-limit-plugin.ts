import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getArgumentValues,
  getNullableType,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type FieldNode,
  type GraphQLField,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface CostLimitOptions {
  maxCost: number;
  /** Rows assumed for a list without a `first` argument (a patient's allergies, a day's schedule). */
  assumedListSize: number;
}

/**
 * The `first` the field will run with: its argument as the operation gives it, a variable's value
 * or default, else the argument's own default; coerced as graphql-js will coerce it when executing.
 */
function firstArgument(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): number | undefined {
  if (!field.args.some((a) => a.name === 'first')) return undefined;
  let value: unknown;
  try {
    value = getArgumentValues(field, node, variables).first;
  } catch {
    // A value of the wrong type fails validation later; for cost, it counts as absent.
    value = undefined;
  }
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The operation's variables as it will run with them: given values coerced, defaults filled in. */
function coercedVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, given: Record<string, unknown>): Record<string, unknown> {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], given, { maxErrors: 1 });
  return coerced.coerced ?? {};
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
  const values = coercedVariables(schema, operation, variables);

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, spreading: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += multiplier;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!field || !selection.selectionSet) continue;
        const named = getNamedType(field.type);
        const first = firstArgument(field, selection, values);
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
