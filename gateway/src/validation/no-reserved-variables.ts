import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { RESERVED_VARIABLE_PREFIX } from '../policy/record-keys.js';

/**
 * Refuses client variables named like the gateway's own (`$_clinicAt`, the clock the gateway sends
 * the patient subgraph with the access facts): a client value must never stand for it.
 */
export function noReservedVariables(context: ValidationContext): ASTVisitor {
  return {
    VariableDefinition(node) {
      const name = node.variable.name.value;
      if (name.startsWith(RESERVED_VARIABLE_PREFIX)) {
        context.reportError(new GraphQLError(`Variable "$${name}" is reserved: variables may not start with "${RESERVED_VARIABLE_PREFIX}"`, { nodes: [node] }));
      }
    },
  };
}
