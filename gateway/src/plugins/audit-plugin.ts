import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Logger } from '@clinic/service-kit';
import type { GatewayContext } from '../context.js';

export const AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE';

/** The error of a field decided on data only the audit store holds (emergency accesses). */
export function auditStoreUnavailable(): GraphQLError {
  return new GraphQLError('The audit store is unavailable: patient information is not served', { extensions: { code: AUDIT_UNAVAILABLE } });
}

/** The error of a write refused because its audit event could not be written first. */
export function auditUnavailable(): GraphQLError {
  return new GraphQLError('The audit log cannot be written: the change was not made', { extensions: { code: AUDIT_UNAVAILABLE } });
}

/**
 * Writes the request's audit events before its response leaves, in one transaction. Fail closed:
 * when the audit log cannot be written, the response carries no data, only an error saying so.
 */
export function auditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const { audit, request } = contextValue;
          if (!audit || audit.isEmpty) return;
          try {
            await audit.flush(operationName ?? null);
          } catch (err) {
            logger.error({ err, requestId: request.requestId }, 'audit log write failed: response withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'The audit log cannot be written: patient information is not served', extensions: { code: AUDIT_UNAVAILABLE } }],
              };
            }
            response.http.status = 503;
          }
        },
      };
    },
  };
}
