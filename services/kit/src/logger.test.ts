import { DriverException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { serializeError } from './logger.js';

describe('serializeError', () => {
  it('drops the message of a database error, which quotes the row it failed on', () => {
    const dbError = new DriverException(new Error("insert into patient values ('Marie Lefebvre') - constraint failed"));
    const logged = serializeError(new GraphQLError('wrapped', { originalError: dbError }));
    expect(JSON.stringify(logged)).not.toContain('Lefebvre');
    expect(logged.type).toBe('DriverException');
  });

  it('keeps the message of the project\'s own errors', () => {
    expect(serializeError(new Error('config: GATEWAY_PORT must be a port number')).message).toBe('config: GATEWAY_PORT must be a port number');
  });
});
