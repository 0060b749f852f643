import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type {
  CleanupRepository,
  LiveSession,
  RecordScope,
  SessionFilter,
  StationFilter,
} from '../../services/cleanup/cleanup-repository.js';
import type { Tx } from '../../services/ports.js';
import { txClient } from '../db/unit-of-work.js';
import { rowToRecipe } from './prisma-recipe-repository.js';

const LIVE = ['starting', 'active', 'paused', 'completing', 'cancelling'];
const TERMINAL = ['completed', 'cancelled', 'failed'];
/** Discovery attempts still applying their consumption plan (see PrismaDiscoveryRepository). */
const PENDING_ATTEMPT_PREFIX = '{"status":"pending"';

function scoped(scope: RecordScope) {
  return {
    ...(scope.gameServiceIds && { gameServiceId: { in: scope.gameServiceIds } }),
    ...(scope.entityId && { entityId: scope.entityId }),
    ...(scope.entityType && { entityType: scope.entityType }),
  };
}

export class PrismaCleanupRepository implements CleanupRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async liveSessions(f: SessionFilter): Promise<LiveSession[]> {
    if ((f.stationIds && f.stationIds.length === 0) || (f.gameServiceIds && f.gameServiceIds.length === 0)) return [];
    const where: Prisma.CraftSessionWhereInput = {
      status: { in: LIVE },
      ...scoped({ gameServiceIds: f.gameServiceIds, entityId: f.entityId ?? undefined, entityType: f.entityType ?? undefined }),
      ...(f.stationIds && { stationId: { in: f.stationIds } }),
    };
    return this.prisma.craftSession.findMany({ where, select: { id: true, status: true }, orderBy: { startedAt: 'asc' } });
  }

  async stationIds(f: StationFilter) {
    if (!f.gameServiceIds && !f.locationId && !f.ownerId) return [];
    if (f.gameServiceIds && f.gameServiceIds.length === 0) return [];
    const rows = await this.prisma.station.findMany({
      where: {
        ...(f.gameServiceIds && { gameServiceId: { in: f.gameServiceIds } }),
        ...(f.locationId && { locationId: f.locationId }),
        ...(f.ownerId && { ownerId: f.ownerId }),
        ...(f.ownerType && { ownerType: f.ownerType }),
      },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async deleteKnownRecipes(tx: Tx, scope: RecordScope) {
    const where = scoped(scope);
    if (Object.keys(where).length === 0 || scope.gameServiceIds?.length === 0) return 0;
    return (await txClient(tx).knownRecipe.deleteMany({ where })).count;
  }

  async deleteRecipeBatch(tx: Tx, gameServiceId: string, limit: number) {
    const db = txClient(tx);
    const rows = await db.recipe.findMany({ where: { gameServiceId }, orderBy: { id: 'asc' }, take: limit });
    if (rows.length === 0) return [];
    await db.recipe.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    return rows.map(rowToRecipe);
  }

  async deleteStations(tx: Tx, ids: string[]) {
    if (ids.length === 0) return 0;
    return (await txClient(tx).station.deleteMany({ where: { id: { in: ids } } })).count;
  }

  async deleteRecords(tx: Tx, scope: RecordScope) {
    const db = txClient(tx);
    const where = scoped(scope);
    if (Object.keys(where).length === 0 || scope.gameServiceIds?.length === 0) return { proficiencies: 0 };
    const proficiencies = (await db.proficiency.deleteMany({ where })).count;
    await db.completedRecipe.deleteMany({ where });
    await db.discoveryAttempt.deleteMany({ where: { ...where, NOT: { materialCodes: { startsWith: PENDING_ATTEMPT_PREFIX } } } });
    await db.craftSession.deleteMany({ where: { ...where, status: { in: TERMINAL }, pendingEffects: false } });
    // A whole game service (no entity or location named): its own settings go too.
    if (scope.gameServiceIds && Object.keys(where).length === 1) await db.craftGameServiceSettings.deleteMany({ where: { gameServiceId: { in: scope.gameServiceIds } } });
    return { proficiencies };
  }

  async deleteEntityGuard(tx: Tx, entityId: string, entityType: string) {
    await txClient(tx).craftEntityGuard.deleteMany({ where: { entityId, entityType } });
  }
}
