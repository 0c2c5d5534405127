import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Request } from 'express';
import type { GatewayContext } from './context.js';

/**
 * The gateway names every request itself (a UUID, see service-kit's `requestIds: 'own'`), returns
 * that id in the `x-request-id` response header and in every error's `extensions.requestId`, and
 * records it in the audit log and the logs. An id the client sends in `x-request-id` is only kept
 * beside it, as `clientRequestId`, when it is short and plain; it never names the request.
 */
export const MAX_CLIENT_REQUEST_ID_LENGTH = 64;
const CLIENT_REQUEST_ID = new RegExp(`^[A-Za-z0-9._:-]{1,${MAX_CLIENT_REQUEST_ID_LENGTH}}$`);

/** The client's own request id when well-formed (letters, digits, `.`, `_`, `:`, `-`; at most 64), else null. */
export function clientRequestIdOf(req: Pick<Request, 'headers'>): string | null {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : null;
}

/** The request id on an error raised before the operation runs (a refused token, the rate limit). */
export function withRequestId(err: unknown, requestId: string): unknown {
  if (err instanceof GraphQLError) Object.assign(err.extensions, { requestId });
  return err;
}

/** Every error of a response carries the gateway's request id, so a caller can quote it to the clinic. */
export function requestIdInErrorsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const { requestId } = contextValue;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({ ...error, extensions: { ...error.extensions, requestId } }));
        },
      };
    },
  };
}
