import { GraphQLError } from 'graphql';

/** Invalid input from the caller: says what is wrong, never echoes personal information. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

/** A lookup by id that matched nothing. */
export function notFound(kind: string, id: string): GraphQLError {
  return new GraphQLError(`No ${kind} with id "${truncateId(id)}"`, { extensions: { code: 'NOT_FOUND' } });
}

const MAX_ID_LENGTH = 64;

/** Ids are 1 to 64 characters of letters, digits, dash and underscore: everywhere, for every record. */
export function isWellFormedId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

export function assertId(id: string, field = 'id'): string {
  if (!isWellFormedId(id)) {
    throw badUserInput(`${field} must be 1 to ${MAX_ID_LENGTH} letters, digits, "-" or "_"`, field);
  }
  return id;
}

function truncateId(id: string): string {
  return id.length > MAX_ID_LENGTH ? `${id.slice(0, MAX_ID_LENGTH)}…` : id;
}
