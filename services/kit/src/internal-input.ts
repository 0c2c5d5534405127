import { isWellFormedId } from './errors.js';
import { parseZonedInstant } from './instant.js';
import { InternalRequestError } from './subgraph.js';

const MAX_IDS = 1000;

/** A list of ids in an internal request body (at most 1000, each a well-formed id). */
export function idList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_IDS || !value.every(isWellFormedId)) {
    throw new InternalRequestError(`${field} must be a list of at most ${MAX_IDS} ids`);
  }
  return value as string[];
}

export function idValue(value: unknown, field: string): string {
  if (!isWellFormedId(value)) throw new InternalRequestError(`${field} must be an id`);
  return value;
}

export function instantValue(value: unknown, field: string): Date {
  const date = parseZonedInstant(value);
  if (!date) throw new InternalRequestError(`${field} must be an ISO-8601 instant with a time zone`);
  return date;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InternalRequestError('the body must be a JSON object');
  return body as Record<string, unknown>;
}
