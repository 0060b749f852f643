import type { ActiveStation } from '../../services/queries/query-repository.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { QueryRepository } from '../../services/queries/query-repository.js';
import { LIVE_STATUSES } from '../../services/sessions/session-model.js';
import { rowToRecipe } from './prisma-recipe-repository.js';

/** Read-only queries of query/* (can-craft, estimate-quality, npc-variables). */
export class PrismaQueryRepository implements QueryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async knownRecipeIds(gameServiceId: string, entityId: string, entityType: string) {
    const rows = await this.prisma.knownRecipe.findMany({
      where: { gameServiceId, entityId, entityType },
      select: { recipeId: true },
    });
    return new Set(rows.map((r) => r.recipeId));
  }

  async activeStations(gameServiceId: string) {
    const groups = await this.prisma.station.groupBy({
      by: ['stationType', 'tier', 'capacity'],
      where: { gameServiceId, isActive: true },
      _max: { quality: true },
    });
    const byType = new Map<string, ActiveStation[]>();
    for (const g of groups) {
      const list = byType.get(g.stationType) ?? [];
      list.push({ quality: g._max.quality ?? 0, tier: g.tier, capacity: g.capacity ? (JSON.parse(g.capacity) as Record<string, number>) : null });
      byType.set(g.stationType, list);
    }
    for (const list of byType.values()) list.sort((a, b) => b.quality - a.quality);
    return byType;
  }

  async recipesByCodes(gameServiceId: string, codes: readonly string[]) {
    if (codes.length === 0) return [];
    const rows = await this.prisma.recipe.findMany({ where: { gameServiceId, code: { in: [...codes] } } });
    return rows.map(rowToRecipe);
  }

  async gameServiceRecipes(gameServiceId: string) {
    const rows = await this.prisma.recipe.findMany({ where: { gameServiceId }, orderBy: { code: 'asc' } });
    return rows.map(rowToRecipe);
  }

  async recipeStamp(gameServiceId: string) {
    const a = await this.prisma.recipe.aggregate({
      where: { gameServiceId },
      _count: { _all: true },
      _sum: { version: true },
      _max: { updatedAt: true },
    });
    return `${a._count._all}:${a._sum.version ?? 0}:${a._max.updatedAt?.getTime() ?? 0}`;
  }

  async liveSessionCount(gameServiceId: string, entityId: string, entityType: string) {
    return this.prisma.craftSession.count({ where: { entityId, entityType, gameServiceId, status: { in: LIVE_STATUSES } } });
  }

  async lastCompletedQuality(gameServiceId: string, entityId: string, entityType: string) {
    const row = await this.prisma.craftSession.findFirst({
      where: { entityId, entityType, gameServiceId, status: 'completed' },
      orderBy: [{ completedAt: 'desc' }, { id: 'desc' }],
      select: { finalQuality: true },
    });
    return row?.finalQuality ?? null;
  }
}
