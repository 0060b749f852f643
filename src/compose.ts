import { randomUUID } from 'node:crypto';
import { GameServiceStub } from './clients/stubs/game-service-stub.js';
import type { Config } from './infra/config/config.js';
import { createPrisma } from './infra/db/prisma.js';
import { PrismaUnitOfWork } from './infra/db/unit-of-work.js';
import { NatsBus } from './infra/nats/nats-bus.js';
import { OutboxRelay } from './infra/outbox/outbox-relay.js';
import { PrismaOutbox } from './infra/outbox/prisma-outbox.js';
import { createRedis, pingRedis } from './infra/redis/redis.js';
import { RedisLockProvider } from './infra/redis/lock-provider.js';
import { RedisRecipeCache } from './infra/redis/recipe-cache.js';
import { PrismaRecipeRepository } from './infra/repositories/prisma-recipe-repository.js';
import type { Logger } from './services/ports.js';
import { RecipeService } from './services/recipes/recipe-service.js';
import type { Services } from './services/services.js';
import { GameServiceAdmin } from './services/standalone/game-service-admin.js';

export type ReadinessCheck = () => Promise<unknown>;

export interface Runtime {
  services: Services;
  /** Dependency name -> check that throws when the dependency is unusable. */
  readiness: Record<string, ReadinessCheck>;
  /** Starts background work (outbox relay). */
  start(): void;
  close(): Promise<void>;
  /** Exposed for tests and operations tooling. */
  internals: { relay: OutboxRelay; bus: NatsBus; prisma: ReturnType<typeof createPrisma> };
}

/** Wires the real adapters; the one place that knows every concrete class. */
export function createRuntime(config: Config, log: Logger): Runtime {
  const prisma = createPrisma(config.databaseUrl, { connectionLimit: config.databaseConnectionLimit });
  const redis = createRedis(config.redisUrl);
  const bus = new NatsBus(
    { url: config.natsUrl, stream: config.natsStream, subjectPrefix: config.eventSubjectPrefix },
    log,
  );
  const relay = new OutboxRelay(prisma, bus, { pollIntervalMs: config.outboxPollIntervalMs }, log);
  const outbox = new PrismaOutbox(config.eventSubjectPrefix, () => relay.kick());
  const uow = new PrismaUnitOfWork(prisma);
  const locks = new RedisLockProvider(
    redis,
    {
      keyPrefix: config.redisKeyPrefix,
      lockTimeoutMs: config.lockTimeoutSeconds * 1000,
      acquireTimeoutMs: Math.min(config.lockTimeoutSeconds * 1000, 5000),
    },
    log,
  );
  const cache = new RedisRecipeCache(
    redis,
    { keyPrefix: config.redisKeyPrefix, ttlSeconds: config.recipeCacheTtlSeconds },
    log,
  );
  const gameServiceStub = new GameServiceStub(prisma);
  const clock = { now: () => new Date() };
  const ids = { uuid: () => randomUUID() };

  const services: Services = {
    recipes: new RecipeService({
      repo: new PrismaRecipeRepository(prisma),
      cache,
      uow,
      outbox,
      locks,
      gameServices: gameServiceStub,
      clock,
      ids,
      log,
      settings: {
        maxRecipesPerGameService: config.maxRecipesPerGameService,
        maxProficiencyLevel: config.maxProficiencyLevel,
      },
    }),
    gameServiceAdmin: new GameServiceAdmin(gameServiceStub),
  };

  return {
    services,
    readiness: {
      mysql: () => prisma.$queryRaw`SELECT 1`,
      redis: () => pingRedis(redis),
      nats: () => bus.check(),
    },
    start: () => relay.start(),
    close: async () => {
      await relay.stop();
      cache.close();
      await bus.close();
      redis.disconnect();
      await prisma.$disconnect();
    },
    internals: { relay, bus, prisma },
  };
}
