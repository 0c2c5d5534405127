import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * The gateway serves queries and mutations over HTTP; it has no subscriptions. A `subscription`
 * operation is refused at validation (400 GRAPHQL_VALIDATION_FAILED) with a message saying so,
 * instead of failing inside execution as an internal error.
 */
export const noSubscriptions: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') {
      context.reportError(new GraphQLError('Subscriptions are not supported: this API serves queries and mutations over HTTP only', { nodes: [node] }));
    }
  },
});
