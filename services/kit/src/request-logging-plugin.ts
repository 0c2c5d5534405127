import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isCallerFacing } from './error-masking.js';
import type { Logger } from './logger.js';

export interface RequestIdContext extends BaseContext {
  requestId: string;
  /** An id the client chose for its request (the gateway's logs keep it beside its own). */
  clientRequestId?: string | null;
}

/** Logs one line per operation: request id, operation name, duration and error codes, never values. */
export function requestLoggingPlugin<C extends RequestIdContext>(logger: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (!isCallerFacing(error.extensions?.code)) {
              logger.error({ requestId: contextValue.requestId, err: error, path: error.path }, 'unexpected error (masked for the caller)');
            }
          }
        },
        async willSendResponse({ operationName, errors }) {
          logger.info(
            {
              requestId: contextValue.requestId,
              ...(contextValue.clientRequestId ? { clientRequestId: contextValue.clientRequestId } : {}),
              operationName: operationName ?? undefined,
              ms: Math.round(performance.now() - started),
              errorCodes: errors?.map((e) => e.extensions?.code ?? 'UNKNOWN'),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
