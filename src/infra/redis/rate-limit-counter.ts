import type { Redis } from 'ioredis';

/** A fixed-window request counter shared by every instance. */
export interface RateLimitCounter {
  /** Counts one hit for `key`; returns the hits in the current window and the ms left in it. */
  hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
}

// INCR and the window's expiry in one round trip, atomically: a key never lives without a TTL.
const HIT_SCRIPT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {current, tonumber(ARGV[1])}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`;

type WithHit = Redis & { craftRateLimitHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * Redis implementation. Uses the runtime's client, which fails fast while Redis is
 * unreachable (no offline queue): the HTTP layer then lets the request through.
 */
export class RedisRateLimitCounter implements RateLimitCounter {
  private readonly redis: WithHit;

  constructor(redis: Redis, private readonly keyPrefix: string) {
    if (!('craftRateLimitHit' in redis)) redis.defineCommand('craftRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as WithHit;
  }

  async hit(key: string, windowMs: number) {
    const [count, ttlMs] = await this.redis.craftRateLimitHit(`${this.keyPrefix}ratelimit:${key}`, windowMs);
    return { count: Number(count), ttlMs: Number(ttlMs) };
  }
}
