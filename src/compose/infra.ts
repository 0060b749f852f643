import type { Config } from '../infra/config/config.js';
import { createPrisma } from '../infra/db/prisma.js';
import { createSqlPool } from '../infra/db/sql-pool.js';
import { PrismaUnitOfWork } from '../infra/db/unit-of-work.js';
import { PrometheusMetrics } from '../infra/metrics/prometheus-metrics.js';
import { NatsBus } from '../infra/nats/nats-bus.js';
import { OutboxRelay } from '../infra/outbox/outbox-relay.js';
import { PrismaOutbox } from '../infra/outbox/prisma-outbox.js';
import { RedisLockProvider } from '../infra/redis/lock-provider.js';
import { createRedis } from '../infra/redis/redis.js';
import { RedisRecipeCache } from '../infra/redis/recipe-cache.js';
import type { Clock, IdGenerator, Logger } from '../services/ports.js';

/** The connections and shared adapters every aggregate uses. */
export type Infra = ReturnType<typeof wireInfra>;

/** What every part of the wiring reads: configuration, log, clock, ids and the infrastructure. */
export interface Wiring {
  config: Config;
  log: Logger;
  clock: Clock;
  ids: IdGenerator;
  infra: Infra;
}

export function wireInfra(config: Config, log: Logger) {
  const prisma = createPrisma(config.databaseUrl, { connectionLimit: config.databaseConnectionLimit, acquireTimeoutMs: config.databaseAcquireTimeoutMs });
  const redis = createRedis(config.redisUrl);
  const sql = createSqlPool(config.databaseUrl, {
    connectionLimit: Math.max(2, Math.ceil(config.databaseConnectionLimit / 2)),
    acquireTimeoutMs: config.databaseAcquireTimeoutMs,
  });
  const bus = new NatsBus({ url: config.natsUrl, stream: config.natsStream, subjectPrefix: config.eventSubjectPrefix }, log);
  const relay = new OutboxRelay(prisma, bus, { pollIntervalMs: config.outboxPollIntervalMs }, log);
  const outbox = new PrismaOutbox(config.eventSubjectPrefix, () => relay.kick());
  const metrics = new PrometheusMetrics({ outboxLag: () => relay.lag(), processMetrics: true, log });
  const uow = new PrismaUnitOfWork(prisma);
  const locks = new RedisLockProvider(
    redis,
    {
      keyPrefix: config.redisKeyPrefix,
      lockTimeoutMs: config.lockTimeoutSeconds * 1000,
      acquireTimeoutMs: Math.min(config.lockTimeoutSeconds * 1000, 5000),
      onBusy: (name) => metrics.lockFailure(name, 'held'),
      onUnavailable: (_err, name) => metrics.lockFailure(name, 'unavailable'),
    },
    log,
  );
  const cache = new RedisRecipeCache(redis, { keyPrefix: config.redisKeyPrefix, ttlSeconds: config.recipeCacheTtlSeconds }, log);
  return { prisma, redis, sql, bus, relay, outbox, metrics, uow, locks, cache };
}
