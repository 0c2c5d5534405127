import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { IMiddlewareFieldMap } from 'graphql-middleware';

type FieldMiddleware = (resolve: GraphQLFieldResolver<unknown, unknown>, parent: unknown, args: Record<string, unknown>, ctx: unknown, info: Parameters<GraphQLFieldResolver<unknown, unknown>>[3]) => unknown;

/**
 * Puts graphql-shield's field wrappers (shieldFromPolicy) around the schema's resolvers, outside
 * every other middleware, as graphql-middleware's `applyMiddleware(schema, shield, ...others)` does.
 * Each wrapper is handed the field's resolver itself: graphql-middleware makes a new closure for
 * every field of every row it resolves (49 KB per 100-patient list), and graphql-shield calls the
 * resolver with all four arguments anyway.
 */
export function applyShield(schema: GraphQLSchema, wrappers: IMiddlewareFieldMap): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const wrapper = (wrappers[typeName] as Record<string, unknown> | undefined)?.[fieldName];
      if (wrapper === undefined) return field;
      if (typeof wrapper !== 'function') throw new Error(`policy: the wrapper of ${typeName}.${fieldName} is not a function (a rule with a fragment?)`);
      const middleware = wrapper as FieldMiddleware;
      const resolve = field.resolve ?? defaultFieldResolver;
      return { ...field, resolve: (parent, args, ctx, info) => middleware(resolve, parent, args, ctx, info) };
    },
  });
}
