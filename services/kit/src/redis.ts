import { Redis } from 'ioredis';
import { SIGNATURE_MAX_AGE_MS, type ReplayMemory } from './request-signing.js';

/**
 * Redis shared by the replicas of a service (REDIS_URL). Commands fail fast when Redis is away
 * (no offline queue beyond a short reconnect), so a caller can fail closed instead of hanging.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableOfflineQueue: true, lazyConnect: false });
}

/** REDIS_URL, checked: a redis:// or rediss:// URL, or undefined (state stays in each process). */
export function redisUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new Error(`config: REDIS_URL must be a redis:// or rediss:// URL, got "${raw.replace(/\/\/[^@]*@/, '//…@')}"`);
  return raw;
}

/** Redis answers a PING within a short time (readiness). */
export async function redisReachable(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  return Promise.race([redis.ping().then((pong) => pong === 'PONG', () => false), timeout]);
}

/**
 * The replay memory of every replica of one service: a signature is stored with SET NX for twice its
 * validity window, so the first replica to see it wins and every other use, anywhere, is a replay.
 */
export class RedisReplayMemory implements ReplayMemory {
  constructor(
    private readonly redis: Redis,
    private readonly service: string,
  ) {}

  async firstUse(sig: string): Promise<boolean> {
    // Lost (not merely still connecting at start-up): refuse at once instead of waiting for it.
    if (this.redis.status === 'reconnecting' || this.redis.status === 'end' || this.redis.status === 'close') throw new Error('replay memory: Redis unreachable');
    const stored = await this.redis.set(`clinic:replay:${this.service}:${sig}`, '1', 'PX', 2 * SIGNATURE_MAX_AGE_MS, 'NX');
    return stored === 'OK';
  }
}
