import { randomUUID } from 'node:crypto';
import type { StubFaults, StubServices } from './clients/stubs/index.js';
import type { Config } from './infra/config/config.js';
import type { PrometheusMetrics } from './infra/metrics/prometheus-metrics.js';
import type { createPrisma } from './infra/db/prisma.js';
import type { NatsBus } from './infra/nats/nats-bus.js';
import type { OutboxRelay } from './infra/outbox/outbox-relay.js';
import { pingRedis } from './infra/redis/redis.js';
import { RedisRateLimitCounter } from './infra/redis/rate-limit-counter.js';
import type { RateLimitSettings } from './http/rate-limit.js';
import type { IdempotencyService } from './services/idempotency/idempotency-service.js';
import type { Clock, IdGenerator, Logger } from './services/ports.js';
import type { Services } from './services/services.js';
import { Scope } from './services/scope.js';
import type { CraftAssessor } from './services/sessions/craft-assessor.js';
import type { SessionDriver } from './services/sessions/session-driver.js';
import type { SessionRepository } from './services/sessions/session-repository.js';
import type { SessionRecovery } from './services/sessions/session-recovery.js';
import type { SessionService } from './services/sessions/session-service.js';
import { GameServiceAdmin } from './services/standalone/game-service-admin.js';
import { StandaloneAdmin } from './services/standalone/standalone-admin.js';
import { wireCatalog } from './compose/catalog.js';
import { wireInfra, type Wiring } from './compose/infra.js';
import { wireNeighbours } from './compose/neighbours.js';
import { wireQueries } from './compose/queries.js';
import { wireSessions } from './compose/sessions.js';
import { wireSupport } from './compose/support.js';
import { forwardStatistics } from './services/statistics/session-statistics.js';

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
    driver: SessionDriver;
    sessionRepo: SessionRepository;
  };
}

/**
 * What a test may put in place of the real thing (never reachable from configuration): the
 * clock (server time, so durations and deadlines need no sleeping), the ids, and the session
 * seeds (so a scripted session's rolls are known in advance).
 */
export interface RuntimeOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  sessionSeeds?: () => string;
}

/**
 * Wires the real adapters, one aggregate at a time (src/compose/): infrastructure, the
 * neighbouring services, the catalog (proficiency, rulesets, recipes, stations), sessions,
 * queries, then discovery, cleanup and idempotency.
 */
export function createRuntime(config: Config, log: Logger, overrides: RuntimeOverrides = {}): Runtime {
  const infra = wireInfra(config, log);
  const w: Wiring = {
    config,
    log,
    infra,
    clock: overrides.clock ?? { now: () => new Date() },
    ids: overrides.ids ?? { uuid: () => randomUUID() },
  };
  // The contract stub calls back into the session service once that exists (below).
  let sessions: SessionService | null = null;
  const n = wireNeighbours(w, async (sessionId) => {
    if (!sessions) throw new Error('sessions are not wired yet');
    // The contract service acts for the system: the session is found in any game service.
    await sessions.complete(Scope.all, sessionId);
  });
  const c = wireCatalog(w, n);
  const s = wireSessions(w, n, c, overrides.sessionSeeds);
  sessions = s.sessions;
  const q = wireQueries(w, n, c, s);
  const support = wireSupport(w, n, c, s, q);
  const { prisma, redis, sql, bus, relay, cache, metrics } = infra;

  const services: Services = {
    recipes: c.recipes,
    rulesets: c.rulesets,
    gameServiceAdmin: new GameServiceAdmin(n.gameServices),
    proficiency: c.proficiency,
    stations: c.stations,
    settings: c.settings,
    sessions: s.sessions,
    standalone: new StandaloneAdmin({
      gameServices: n.gameServices,
      item: n.item,
      inventory: n.inventory,
      currency: n.currency,
      contract: n.contract,
      affix: n.affix,
    }),
    queries: q.queries,
    npcVariables: q.npcVariables,
    discovery: support.discovery,
    cleanup: support.cleanup,
  };
  const jobs = [s.recoveryJob, support.idempotencyPurgeJob, support.discoveryRecoveryJob];

  return {
    services,
    idempotency: support.idempotency,
    readiness: {
      mysql: () => prisma.$queryRaw`SELECT 1`,
      redis: () => pingRedis(redis),
      nats: () => bus.check(),
    },
    metrics,
    rateLimit: { perMinute: config.rateLimitPerMinute, counter: new RedisRateLimitCounter(redis, config.redisKeyPrefix) },
    // Hard neighbours over HTTP are reported, not a reason for 503: every instance shares them,
    // and one that cannot reach them answers 503 DEPENDENCY_UNAVAILABLE per request anyway.
    readinessInfo: { outbox: () => relay.lag(), ...n.readiness },
    start: () => {
      if (n.analytics) relay.onPublished(forwardStatistics(n.analytics, log));
      relay.start();
      for (const job of jobs) job.start();
      s.consumer.start();
      s.mirror.start();
    },
    close: async () => {
      await Promise.all([s.consumer.stop(), s.mirror.stop(), ...jobs.map((job) => job.stop()), q.estimateThreads.close()]);
      await relay.stop();
      // After the relay: the statistics of its last events still have somewhere to go.
      await n.close();
      cache.close();
      await bus.close();
      redis.disconnect();
      await prisma.$disconnect();
      await n.seedPrisma?.$disconnect();
      await sql.end();
    },
    internals: { relay, bus, prisma, faults: n.stubs.faults, stubs: n.stubs, recovery: s.recovery, assessor: q.assessor, driver: s.driver, sessionRepo: s.repo },
  };
}
