import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitOptions {
  /** Requests each authenticated user may make per window. */
  points: number;
  windowSeconds: number;
  /** Shared by every replica (REDIS_URL): the limit holds across them. Without it, per replica. */
  redis?: Redis;
}

/**
 * Per authenticated user (token `sub`). Over the limit: HTTP 429 with Retry-After and
 * `extensions.code = "RATE_LIMITED"`. With Redis, a Redis outage falls back to a per-replica limit
 * (the insurance limiter): requests go on being limited, only not across replicas.
 */
export function createRateLimiter(options: RateLimitOptions) {
  const memory = () => new RateLimiterMemory({ points: options.points, duration: options.windowSeconds });
  const limiter = options.redis
    ? new RateLimiterRedis({ storeClient: options.redis, keyPrefix: 'clinic:rate', points: options.points, duration: options.windowSeconds, insuranceLimiter: memory(), rejectIfRedisNotReady: true })
    : memory();
  return async function consume(userId: string): Promise<void> {
    try {
      await limiter.consume(userId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(`Too many requests: retry in ${retryAfter} s`, {
        extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
  };
}
