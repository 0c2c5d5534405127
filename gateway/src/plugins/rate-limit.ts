import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitOptions {
  /** Requests each authenticated user may make per window. */
  points: number;
  windowSeconds: number;
}

/**
 * Per authenticated user (token `sub`), per gateway replica. Over the limit: HTTP 429 with
 * Retry-After and `extensions.code = "RATE_LIMITED"`.
 */
export function createRateLimiter(options: RateLimitOptions) {
  const limiter = new RateLimiterMemory({ points: options.points, duration: options.windowSeconds });
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
