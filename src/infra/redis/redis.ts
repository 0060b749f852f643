import { Redis } from 'ioredis';

/**
 * Redis is a cache and a lock store here, never the record. Commands fail fast
 * while it is unreachable (no offline queue, one retry) so callers fall back to
 * MySQL at once instead of hanging; the client keeps reconnecting in the background.
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  });
  // Without a listener ioredis logs every failed reconnect as an unhandled error.
  redis.on('error', () => undefined);
  return redis;
}

export async function pingRedis(redis: Redis): Promise<void> {
  const reply = await redis.ping();
  if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
}
