import { GraphQLError, isObjectType, isInterfaceType, getNamedType, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Refuses aliases the gateway could confuse with data: names starting with "__" (reserved for the
 * gateway's record keys) and aliases that reuse the name of another field of the same type
 * (`id: firstName`), which would make one field's value stand where another's is expected.
 */
export function noConfusingAliases(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const alias = node.alias?.value;
      if (!alias || alias === node.name.value) return;
      if (alias.startsWith('__')) {
        context.reportError(new GraphQLError(`Alias "${alias}" is reserved: aliases may not start with "__"`, { nodes: [node] }));
        return;
      }
      const parent = context.getParentType();
      const type = parent ? getNamedType(parent) : undefined;
      if ((isObjectType(type) || isInterfaceType(type)) && type.getFields()[alias]) {
        context.reportError(new GraphQLError(`Alias "${alias}" names another field of ${type.name}: choose an alias that is not a field name`, { nodes: [node] }));
      }
    },
  };
}
