import { BackgroundJob } from '../infra/background-job.js';
import { PrismaCleanupRepository } from '../infra/repositories/prisma-cleanup-repository.js';
import { PrismaDiscoveryRepository } from '../infra/repositories/prisma-discovery-repository.js';
import { PrismaIdempotencyRepository } from '../infra/repositories/prisma-idempotency-repository.js';
import { CleanupService } from '../services/cleanup/cleanup-service.js';
import { DiscoveryService } from '../services/discovery/discovery-service.js';
import { DEFAULT_IDEMPOTENCY_SETTINGS, IdempotencyService } from '../services/idempotency/idempotency-service.js';
import type { Catalog } from './catalog.js';
import type { Wiring } from './infra.js';
import type { Neighbours } from './neighbours.js';
import type { Queries } from './queries.js';
import type { Sessions } from './sessions.js';

/** Discovery, cleanup and Idempotency-Key records, with their background jobs. */
export function wireSupport(w: Wiring, n: Neighbours, c: Catalog, s: Sessions, q: Queries) {
  const { config, log, clock, ids, infra } = w;
  const discovery = new DiscoveryService({
    repo: new PrismaDiscoveryRepository(infra.prisma),
    item: n.item,
    inventory: n.inventory,
    gameServices: n.gameServices,
    findStation: c.stationAccess.find,
    canCraftNow: async (who, list) => {
      const ctx = q.assessor.context({ ...who, inventoryId: null });
      return Promise.all(list.map(async (recipe) => (await q.assessor.assessIn(ctx, recipe)).canCraft));
    },
    uow: infra.uow,
    outbox: infra.outbox,
    clock,
    ids,
    log,
    settings: { consumptionRate: config.discoveryMaterialConsumptionRate, recoveryStaleMs: config.recoveryStaleSeconds * 1000 },
  });
  // Attempts whose material consumption was interrupted finish here (same plan, same keys).
  const discoveryRecoveryJob = new BackgroundJob('discovery-recovery', config.recoveryIntervalMs, () => discovery.recoverPending(), log);
  const cleanup = new CleanupService({
    repo: new PrismaCleanupRepository(infra.prisma),
    terminateSession: (sessionId, reason) => s.sessions.terminate(sessionId, reason),
    finishDiscoveryAttempts: (scope) => discovery.finishPending(scope),
    cache: infra.cache,
    uow: infra.uow,
    outbox: infra.outbox,
    clock,
    ids,
    log,
  });
  // Idempotency-Key records; every instance purges the expired ones hourly (deletes are idempotent).
  const idempotency = new IdempotencyService(
    { repo: new PrismaIdempotencyRepository(infra.prisma), clock, log, replays: infra.metrics.idempotentReplays },
    { ...DEFAULT_IDEMPOTENCY_SETTINGS, retentionMs: config.idempotencyRetentionHours * 3_600_000 },
  );
  const idempotencyPurgeJob = new BackgroundJob('idempotency-purge', 3_600_000, () => idempotency.purgeExpired(), log);
  return { discovery, discoveryRecoveryJob, cleanup, idempotency, idempotencyPurgeJob };
}
