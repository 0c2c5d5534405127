import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';

/** Reports rows withheld by row filters as FORBIDDEN errors at their list's path (a count, never values). */
export function withheldRowsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (contextValue.withheld.all.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = contextValue.withheld.all.map(
            ({ path, count, reason }) =>
              new GraphQLError(`${count} row(s) withheld (${reason})`, { path, extensions: { code: 'FORBIDDEN', reason } }).toJSON(),
          );
          result.errors = [...(result.errors ?? []), ...errors];
        },
      };
    },
  };
}
