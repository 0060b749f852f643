import { randomUUID } from 'node:crypto';
import { createStubServices, type StubFaults, type StubServices } from './clients/stubs/index.js';
import type { Config } from './infra/config/config.js';
import { BackgroundJob } from './infra/background-job.js';
import { PrometheusMetrics } from './infra/metrics/prometheus-metrics.js';
import { createPrisma } from './infra/db/prisma.js';
import { PrismaUnitOfWork } from './infra/db/unit-of-work.js';
import { ContractTerminatedConsumer } from './infra/nats/contract-terminated-consumer.js';
import { NatsBus } from './infra/nats/nats-bus.js';
import { OutboxRelay } from './infra/outbox/outbox-relay.js';
import { PrismaOutbox } from './infra/outbox/prisma-outbox.js';
import { createSqlPool } from './infra/db/sql-pool.js';
import { createRedis, pingRedis } from './infra/redis/redis.js';
import { RedisLockProvider } from './infra/redis/lock-provider.js';
import { RedisRateLimitCounter } from './infra/redis/rate-limit-counter.js';
import { RedisRecipeCache } from './infra/redis/recipe-cache.js';
import { PrismaCleanupRepository } from './infra/repositories/prisma-cleanup-repository.js';
import { PrismaDiscoveryRepository } from './infra/repositories/prisma-discovery-repository.js';
import { PrismaIdempotencyRepository } from './infra/repositories/prisma-idempotency-repository.js';
import { PrismaProficiencyRepository } from './infra/repositories/prisma-proficiency-repository.js';
import { PrismaQueryRepository } from './infra/repositories/prisma-query-repository.js';
import { PrismaRecipeRepository } from './infra/repositories/prisma-recipe-repository.js';
import { PrismaSessionRepository } from './infra/repositories/prisma-session-repository.js';
import { PrismaStationRepository } from './infra/repositories/prisma-station-repository.js';
import type { RateLimitSettings } from './http/rate-limit.js';
import { CleanupService } from './services/cleanup/cleanup-service.js';
import { DiscoveryService } from './services/discovery/discovery-service.js';
import { DEFAULT_IDEMPOTENCY_SETTINGS, IdempotencyService } from './services/idempotency/idempotency-service.js';
import type { Clock, Logger } from './services/ports.js';
import { LocalProficiencyStore } from './services/proficiency/local-proficiency-store.js';
import { ProficiencyService } from './services/proficiency/proficiency-service.js';
import type { ProficiencyStore } from './services/proficiency/proficiency-store.js';
import { SeedProficiencyStore } from './services/proficiency/seed-proficiency-store.js';
import { NpcVariableProvider } from './services/queries/npc-variables.js';
import { QueryService } from './services/queries/query-service.js';
import { GameServiceRecipeCache } from './services/queries/recipe-list-cache.js';
import { RecipeService } from './services/recipes/recipe-service.js';
import { RulesetService } from './services/rulesets/ruleset-service.js';
import { PrismaRulesetRepository } from './infra/repositories/prisma-ruleset-repository.js';
import { RulesSessions } from './services/sessions/rules-sessions.js';
import type { Services } from './services/services.js';
import { Scope } from './services/scope.js';
import { CraftAssessor } from './services/sessions/craft-assessor.js';
import { COMPLETE_SESSION_PATH, SessionDriver } from './services/sessions/session-driver.js';
import { SessionPlanner } from './services/sessions/session-planner.js';
import type { ProficiencyAccess, StationAccess } from './services/sessions/session-ports.js';
import { SessionRecovery } from './services/sessions/session-recovery.js';
import { SessionService } from './services/sessions/session-service.js';
import { GameServiceAdmin } from './services/standalone/game-service-admin.js';
import { StandaloneAdmin } from './services/standalone/standalone-admin.js';
import { StationService } from './services/stations/station-service.js';

export type ReadinessCheck = () => Promise<unknown>;

export interface Runtime {
  services: Services;
  /** Dependency name -> check that throws when the dependency is unusable. */
  readiness: Record<string, ReadinessCheck>;
  /** Idempotency-Key records for the HTTP layer (buildApp's `idempotency`). */
  idempotency: IdempotencyService;
  /** Operational metrics of this runtime, in its own registry (served on GET /metrics). */
  metrics: PrometheusMetrics;
  /** Per-caller request limit for the HTTP layer (perMinute 0 = off). */
  rateLimit: RateLimitSettings;
  /** Informational readiness details: reported by /readyz, never a reason for 503. */
  readinessInfo: Record<string, ReadinessCheck>;
  /** Starts background work: outbox relay, session recovery, event consumers. */
  start(): void;
  close(): Promise<void>;
  /** Exposed for tests and operations tooling. */
  internals: {
    relay: OutboxRelay;
    bus: NatsBus;
    prisma: ReturnType<typeof createPrisma>;
    faults: StubFaults;
    stubs: StubServices;
    recovery: SessionRecovery;
    assessor: CraftAssessor;
  };
}

/** Wires the real adapters; the one place that knows every concrete class. */
/**
 * What a test may put in place of the real thing (never reachable from configuration): the
 * clock (server time, so durations and deadlines need no sleeping) and the session seeds
 * (so a scripted session's rolls are known in advance).
 */
export interface RuntimeOverrides {
  clock?: Clock;
  sessionSeeds?: () => string;
}

export function createRuntime(config: Config, log: Logger, overrides: RuntimeOverrides = {}): Runtime {
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
  const clock: Clock = overrides.clock ?? { now: () => new Date() };
  const ids = { uuid: () => randomUUID() };
  const contractTerminatedSubject = `${config.contractSubjectPrefix}.terminated`;
  const contractStreamSubjects = [`${config.contractSubjectPrefix}.>`];

  // The contract stub calls back into the session service once that exists (below).
  let sessions: SessionService | null = null;
  // Session completion grants experience inside its transaction; with the seed source the
  // seed stub then gets its own pool, as a remote seed service would not share ours.
  const seedPrisma =
    config.proficiencySource === 'seed'
      ? createPrisma(config.databaseUrl, {
          connectionLimit: Math.max(2, Math.ceil(config.databaseConnectionLimit / 2)),
          acquireTimeoutMs: config.databaseAcquireTimeoutMs,
        })
      : null;
  const stubs = createStubServices({
    prisma,
    ...(seedPrisma && { seedPrisma }),
    log,
    contract: {
      invokePrebound: async (path, body) => {
        if (path !== COMPLETE_SESSION_PATH || !sessions) throw new Error(`no prebound handler for ${path}`);
        // The contract service acts for the system: the session is found in any game service.
        await sessions.complete(Scope.all, String(body.sessionId));
      },
      publish: async (subject, data, msgId) => {
        await bus.ensureStream(config.contractStream, contractStreamSubjects);
        await bus.publish(subject, data, msgId);
      },
      terminatedSubject: contractTerminatedSubject,
    },
  });
  for (const rule of config.stubFaults) stubs.faults.arm(rule.op, { every: rule.every, phase: rule.phase });
  if (config.stubFaults.length > 0) log.warn({ stubFaults: config.stubFaults }, 'CRAFT_STUB_FAULTS: the stub services fail on purpose');
  const gameServices = stubs.gameService;
  const affix = config.affixService === 'stub' ? stubs.affix : null;

  // CRAFT_PROFICIENCY_SOURCE: the seed service (the stub in standalone mode) or the local table.
  const proficiencyRepo = new PrismaProficiencyRepository(prisma);
  const proficiencySettings = {
    maxProficiencyLevel: config.maxProficiencyLevel,
    levelExperienceBase: config.levelExperienceBase,
    phaseThresholds: config.phaseThresholds,
    experienceScalingFactor: config.experienceScalingFactor,
  };
  const proficiencyStore: ProficiencyStore =
    config.proficiencySource === 'seed'
      ? new SeedProficiencyStore({ seed: stubs.seed, clock, settings: proficiencySettings })
      : new LocalProficiencyStore({ repo: proficiencyRepo, clock, ids, settings: proficiencySettings });
  const proficiency = new ProficiencyService({
    store: proficiencyStore,
    domains: proficiencyRepo,
    uow,
    outbox,
    gameServices,
    clock,
    ids,
    log,
    settings: proficiencySettings,
  });
  const rulesets = new RulesetService({ repo: new PrismaRulesetRepository(prisma), uow, gameServices, clock, ids });
  const recipes = new RecipeService({
    rulesets,
    repo: new PrismaRecipeRepository(prisma),
    metrics,
    cache,
    uow,
    outbox,
    locks,
    gameServices,
    clock,
    ids,
    log,
    settings: { maxRecipesPerGameService: config.maxRecipesPerGameService, maxProficiencyLevel: config.maxProficiencyLevel },
    // Seed source: the `proficiency:<domain>` seed types of every domain a recipe names.
    registerDomains: (gameServiceId, domains) => proficiency.registerDomains(gameServiceId, domains),
  });
  const stations = new StationService({
    repo: new PrismaStationRepository(prisma),
    gameServices,
    locations: null, // no location service configured yet: locations are not checked
    clock,
    ids,
    log,
  });

  const proficiencyAccess: ProficiencyAccess = {
    levelOf: (gs, entityId, entityType, domain) => proficiency.levelOf(gs, { entityId, entityType }, domain),
    grantInTx: (tx, input) => proficiency.grantInTx(tx, input),
  };
  const stationAccess: StationAccess = {
    find: (stationId, gameServiceId) => stations.find(stationId, gameServiceId),
    claim: (tx, stationId, sessionId) => stations.claim(tx, stationId, sessionId),
    release: async (tx, stationId, sessionId) => {
      await stations.release(tx, stationId, sessionId);
    },
  };
  const sessionRepo = new PrismaSessionRepository(prisma, { pool: sql, subjectPrefix: config.eventSubjectPrefix });
  const driver = new SessionDriver({
    repo: sessionRepo,
    metrics,
    item: stubs.item,
    inventory: stubs.inventory,
    currency: stubs.currency,
    contract: stubs.contract,
    affix,
    proficiency: proficiencyAccess,
    stations: stationAccess,
    compile: (rules) => rulesets.compiled({ rulesetId: rules.rulesetId, definition: rules.definition as never }),
    uow,
    outbox,
    clock,
    ids,
    log,
    settings: {
      stationExclusivity: config.stationExclusivity,
      collaborationBonusMultiplier: config.collaborationBonusMultiplier,
      apprenticeBonusMultiplier: config.apprenticeBonusMultiplier,
      defaultQualityWeights: config.defaultQualityWeights,
    },
  });
  const planner = new SessionPlanner({
    recipes,
    proficiency: proficiencyAccess,
    stations: stationAccess,
    item: stubs.item,
    inventory: stubs.inventory,
    currency: stubs.currency,
    affix,
    isKnown: (entityId, entityType, recipeId) => sessionRepo.isKnown(entityId, entityType, recipeId),
    defaultQualityWeights: config.defaultQualityWeights,
  });
  /** "Can this entity craft this recipe now?", with the full breakdown (queries, discovery, NPC variables). */
  const queryRepo = new PrismaQueryRepository(prisma);
  const assessor = new CraftAssessor({
    planner,
    inventory: stubs.inventory,
    item: stubs.item,
    currency: stubs.currency,
    levels: (gameServiceId, entityId, entityType) => proficiency.levels(gameServiceId, { entityId, entityType }),
    knownRecipeIds: (gameServiceId, entityId, entityType) => queryRepo.knownRecipeIds(gameServiceId, entityId, entityType),
    activeStations: (gameServiceId) => queryRepo.activeStations(gameServiceId),
  });
  const queries = new QueryService({
    recipes,
    rulesets,
    assessor,
    item: stubs.item,
    proficiency: proficiencyAccess,
    stations: stationAccess,
    defaultQualityWeights: config.defaultQualityWeights,
  });
  const npcVariables = new NpcVariableProvider({
    assessor,
    queries,
    repo: queryRepo,
    recipeLists: new GameServiceRecipeCache(queryRepo, { maxEntries: 64, maxAgeMs: 60_000 }),
    defaultQualityWeights: config.defaultQualityWeights,
  });
  const rulesSessions = new RulesSessions({ rulesets, repo: sessionRepo, driver, item: stubs.item, inventory: stubs.inventory, clock, ids, log });
  sessions = new SessionService({
    repo: sessionRepo,
    metrics,
    planner,
    driver,
    rules: rulesSessions,
    seeds: overrides.sessionSeeds,
    contract: stubs.contract,
    stations: stationAccess,
    uow,
    outbox,
    locks,
    clock,
    ids,
    log,
    settings: {
      maxActiveSessionsPerEntity: config.maxActiveSessionsPerEntity,
      sessionTimeoutSeconds: config.sessionTimeoutSeconds,
      stationExclusivity: config.stationExclusivity,
      collaborationBonusMultiplier: config.collaborationBonusMultiplier,
      defaultQualityWeights: config.defaultQualityWeights,
    },
  });
  const recovery = new SessionRecovery(
    { repo: sessionRepo, driver, clock, log },
    { staleAfterMs: config.recoveryStaleSeconds * 1000, batchSize: 50 },
  );
  const recoveryJob = new BackgroundJob('session-recovery', config.recoveryIntervalMs, () => recovery.runOnce(), log);
  const sessionService = sessions;
  const consumer = new ContractTerminatedConsumer(
    bus,
    { stream: config.contractStream, streamSubjects: contractStreamSubjects, subject: contractTerminatedSubject, durableName: `${config.natsStream}-contract-terminated` },
    (messageId, event) => sessionService.onContractTerminated(messageId, event.contractId, event.reason ?? null),
    log,
  );

  const discovery = new DiscoveryService({
    repo: new PrismaDiscoveryRepository(prisma),
    item: stubs.item,
    inventory: stubs.inventory,
    gameServices,
    findStation: stationAccess.find,
    canCraftNow: async (who, list) => {
      const ctx = assessor.context({ ...who, inventoryId: null });
      return Promise.all(list.map(async (recipe) => (await assessor.assessIn(ctx, recipe)).canCraft));
    },
    uow,
    outbox,
    clock,
    ids,
    log,
    settings: { consumptionRate: config.discoveryMaterialConsumptionRate, recoveryStaleMs: config.recoveryStaleSeconds * 1000 },
  });
  // Attempts whose material consumption was interrupted finish here (same plan, same keys).
  const discoveryRecoveryJob = new BackgroundJob('discovery-recovery', config.recoveryIntervalMs, () => discovery.recoverPending(), log);
  const cleanup = new CleanupService({
    repo: new PrismaCleanupRepository(prisma),
    terminateSession: (sessionId, reason) => sessionService.terminate(sessionId, reason),
    finishDiscoveryAttempts: (scope) => discovery.finishPending(scope),
    cache,
    uow,
    outbox,
    clock,
    ids,
    log,
  });

  // Idempotency-Key records; every instance purges the expired ones hourly (deletes are idempotent).
  const idempotency = new IdempotencyService(
    { repo: new PrismaIdempotencyRepository(prisma), clock, log, replays: metrics.idempotentReplays },
    { ...DEFAULT_IDEMPOTENCY_SETTINGS, retentionMs: config.idempotencyRetentionHours * 3_600_000 },
  );
  const idempotencyPurgeJob = new BackgroundJob('idempotency-purge', 3_600_000, () => idempotency.purgeExpired(), log);

  const services: Services = {
    recipes,
    rulesets,
    gameServiceAdmin: new GameServiceAdmin(gameServices),
    proficiency,
    stations,
    sessions,
    standalone: new StandaloneAdmin({
      gameServices,
      item: stubs.item,
      inventory: stubs.inventory,
      currency: stubs.currency,
      contract: stubs.contract,
      affix,
    }),
    queries,
    npcVariables,
    discovery,
    cleanup,
  };

  return {
    services,
    idempotency,
    readiness: {
      mysql: () => prisma.$queryRaw`SELECT 1`,
      redis: () => pingRedis(redis),
      nats: () => bus.check(),
    },
    metrics,
    rateLimit: { perMinute: config.rateLimitPerMinute, counter: new RedisRateLimitCounter(redis, config.redisKeyPrefix) },
    readinessInfo: { outbox: () => relay.lag() },
    start: () => {
      relay.start();
      recoveryJob.start();
      idempotencyPurgeJob.start();
      discoveryRecoveryJob.start();
      consumer.start();
    },
    close: async () => {
      await Promise.all([consumer.stop(), recoveryJob.stop(), discoveryRecoveryJob.stop(), idempotencyPurgeJob.stop()]);
      await stubs.contract.whenIdle();
      await relay.stop();
      cache.close();
      await bus.close();
      redis.disconnect();
      await prisma.$disconnect();
      await seedPrisma?.$disconnect();
      await sql.end();
    },
    internals: { relay, bus, prisma, faults: stubs.faults, stubs, recovery, assessor },
  };
}
