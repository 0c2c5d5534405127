import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';

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
]);

/**
 * Apollo `formatError` that keeps caller-facing errors and replaces every other error (a database
 * error can quote the row it failed on) with a stable message naming its source; details go to the log.
 */
export function maskUnexpectedErrors(source: string, logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    if (code && CALLER_FACING_CODES.has(code)) {
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { ...formatted.extensions, stacktrace: undefined } };
    }
    logger.error({ err: error, path: formatted.path, code }, `${source}: unexpected error`);
    return {
      message: `Internal error in ${source}`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
