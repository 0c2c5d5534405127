import { describe, expect, it } from 'vitest';
import { connectRedis } from '@clinic/service-kit';
import { createRateLimiter } from './rate-limit.js';

describe('rate limit', () => {
  it('goes on limiting each replica alone while Redis cannot be reached', async () => {
    const dead = connectRedis('redis://127.0.0.1:1');
    dead.on('error', () => undefined);
    try {
      const consume = createRateLimiter({ points: 2, windowSeconds: 60, redis: dead });
      await consume('e-roy');
      await consume('e-roy');
      const refused = await consume('e-roy').catch((err: unknown) => err);
      expect(refused).toMatchObject({ extensions: { code: 'RATE_LIMITED', http: { status: 429 } } });
      await consume('e-cote');
    } finally {
      dead.disconnect();
    }
  });
});
