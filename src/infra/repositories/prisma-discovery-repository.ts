import type { DiscoveryAttempt, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../../services/ports.js';
import type {
  AttemptDocument,
  AttemptScope,
  DiscoveryAttemptRecord,
  LearnedRecipe,
  Learner,
} from '../../services/discovery/discovery-model.js';
import type { DiscoveryRepository } from '../../services/discovery/discovery-repository.js';
import { txClient } from '../db/unit-of-work.js';
import { rowToRecipe } from './prisma-recipe-repository.js';

/** Pending documents start with this (AttemptDocument serialises `status` first). */
const PENDING_PREFIX = '{"status":"pending"';

function rowToAttempt(row: DiscoveryAttempt): DiscoveryAttemptRecord {
  return {
    id: row.id,
    gameServiceId: row.gameServiceId,
    entityId: row.entityId,
    entityType: row.entityType,
    combinationHash: row.combinationHash,
    stationType: row.stationType,
    success: row.success,
    recipeId: row.recipeId,
    hintProgression: row.hintProgression,
    createdAt: row.createdAt,
    doc: JSON.parse(row.materialCodes) as AttemptDocument,
  };
}

/** The document with `status` as its first key, whatever order the caller built it in. */
function serialise(doc: AttemptDocument): string {
  const { status, ...rest } = doc;
  return JSON.stringify({ status, ...rest });
}

export class PrismaDiscoveryRepository implements DiscoveryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findRecipe(recipeId: string) {
    const row = await this.prisma.recipe.findUnique({ where: { id: recipeId } });
    return row ? rowToRecipe(row).recipe : null;
  }

  async findDiscoverable(gameServiceId: string) {
    const rows = await this.prisma.recipe.findMany({ where: { gameServiceId, isDiscoverable: true, isDeprecated: false } });
    return rows.map((r) => rowToRecipe(r).recipe);
  }

  async findUnlockCandidates(gameServiceId: string) {
    // Pre-filter on the stored JSON (a non-empty prerequisite array); the domain rule decides.
    const rows = await this.prisma.recipe.findMany({
      where: {
        gameServiceId,
        isDiscoverable: false,
        isDefaultKnown: false,
        isDeprecated: false,
        definition: { contains: '"prerequisiteRecipeCodes":["' },
      },
    });
    return rows.map((r) => rowToRecipe(r).recipe);
  }

  async findDefaultKnown(gameServiceId: string) {
    const rows = await this.prisma.recipe.findMany({
      where: { gameServiceId, isDefaultKnown: true },
      select: { id: true, code: true },
    });
    return rows.map((r) => ({ recipeId: r.id, code: r.code }));
  }

  async findListable(gameServiceId: string, ids: string[]) {
    const rows = await this.prisma.recipe.findMany({
      where: {
        gameServiceId,
        isDeprecated: false,
        OR: [{ isDefaultKnown: true }, ...(ids.length > 0 ? [{ id: { in: ids } }] : [])],
      },
      orderBy: { code: 'asc' },
    });
    return rows.map((r) => rowToRecipe(r).recipe);
  }

  async learned(who: Learner): Promise<LearnedRecipe[]> {
    const rows = await this.prisma.knownRecipe.findMany({
      where: { gameServiceId: who.gameServiceId, entityId: who.entityId, entityType: who.entityType },
      select: { recipeId: true, recipeCode: true, source: true },
    });
    return rows;
  }

  async insertLearned(tx: Tx, who: Learner, recipe: LearnedRecipe, at: Date) {
    // INSERT IGNORE on the (entity, recipe) key: a concurrent learner of the same recipe
    // writes nothing, and only the writer publishes the event.
    const inserted = await txClient(tx).$executeRaw`
      INSERT IGNORE INTO KnownRecipe (gameServiceId, entityId, entityType, recipeId, recipeCode, source, learnedAt)
      VALUES (${who.gameServiceId}, ${who.entityId}, ${who.entityType}, ${recipe.recipeId}, ${recipe.recipeCode}, ${recipe.source}, ${at})`;
    return inserted === 1;
  }

  async insertAttempt(tx: Tx, a: DiscoveryAttemptRecord) {
    await txClient(tx).discoveryAttempt.create({
      data: {
        id: a.id,
        gameServiceId: a.gameServiceId,
        entityId: a.entityId,
        entityType: a.entityType,
        combinationHash: a.combinationHash,
        materialCodes: serialise(a.doc),
        stationType: a.stationType,
        success: a.success,
        recipeId: a.recipeId,
        hintProgression: a.hintProgression,
        createdAt: a.createdAt,
      },
    });
  }

  async findAttempt(id: string) {
    const row = await this.prisma.discoveryAttempt.findUnique({ where: { id } });
    return row ? rowToAttempt(row) : null;
  }

  async markDone(id: string, doc: AttemptDocument) {
    const result = await this.prisma.discoveryAttempt.updateMany({
      where: { id, materialCodes: { startsWith: PENDING_PREFIX } },
      data: { materialCodes: serialise(doc) },
    });
    return result.count === 1;
  }

  async findPending(scope: AttemptScope, olderThan: Date, limit: number) {
    if (scope.gameServiceIds && scope.gameServiceIds.length === 0) return [];
    const where: Prisma.DiscoveryAttemptWhereInput = {
      materialCodes: { startsWith: PENDING_PREFIX },
      createdAt: { lt: olderThan },
      ...(scope.gameServiceIds && { gameServiceId: { in: scope.gameServiceIds } }),
      ...(scope.entityId && { entityId: scope.entityId }),
      ...(scope.entityType && { entityType: scope.entityType }),
    };
    const rows = await this.prisma.discoveryAttempt.findMany({
      where,
      select: { id: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }
}
