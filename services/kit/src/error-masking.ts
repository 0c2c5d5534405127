import type { GraphQLFormattedError } from 'graphql';

/** Error codes whose messages are written for the caller and carry no personal information. */
const CALLER_FACING_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'COST_LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'AUDIT_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
]);

/** An error written for the caller (its message carries no personal information). */
export function isCallerFacing(code: unknown): boolean {
  return typeof code === 'string' && CALLER_FACING_CODES.has(code);
}

/**
 * Apollo `formatError` that keeps caller-facing errors and replaces every other error (a database
 * error can quote the row it failed on) with a stable message naming its source. The details are
 * logged with the request id by the request logging plugin.
 */
export function maskUnexpectedErrors(source: string) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (isCallerFacing(code)) {
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { ...formatted.extensions, stacktrace: undefined } };
    }
    return {
      message: `Internal error in ${source}`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
