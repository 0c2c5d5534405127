import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maskUnexpectedErrors } from './error-masking.js';

const mask = maskUnexpectedErrors('patient subgraph');

describe('maskUnexpectedErrors', () => {
  it('replaces an unexpected error with a stable message that names its source', () => {
    const error = new GraphQLError('duplicate key value (LEFM85510112)', { path: ['patient'] });
    expect(mask({ message: error.message, path: ['patient'] })).toEqual({
      message: 'Internal error in patient subgraph',
      path: ['patient'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps caller-facing errors as they are, without a stack trace', () => {
    const formatted = { message: 'first must be between 1 and 100', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at x'] } };
    const kept = mask(formatted);
    expect(kept.message).toBe('first must be between 1 and 100');
    expect(kept.extensions?.code).toBe('BAD_USER_INPUT');
    expect(kept.extensions?.stacktrace).toBeUndefined();
  });
});
