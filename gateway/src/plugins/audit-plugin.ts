import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Logger } from '@clinic/service-kit';
import type { AuditLog } from '../audit-store/audit-log.js';
import { auditEntries } from '../audit/audit-entries.js';
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
export function auditPlugin(auditLog: AuditLog, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, request, operationName }) {
          const { audit, access, requestId } = contextValue;
          if (!audit || audit.patients.length === 0 || !access.viewer) return;
          const viewer = access.viewer;
          try {
            const emergency = await access.emergencyAccess.loadMany(audit.patients);
            const emergencyOf = new Map(audit.patients.map((id, index) => {
              const found = emergency[index];
              return [id, found && !(found instanceof Error) ? found.id : null] as const;
            }));
            const facts = { viewer, operationName: operationName ?? null, clientName: request.http?.headers.get('apollographql-client-name') ?? null, requestId };
            await auditLog.append(auditEntries(audit.groups(), facts, (id) => emergencyOf.get(id) ?? null), access.now);
          } catch (err) {
            logger.error({ err, requestId }, 'audit log write failed: response withheld');
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
