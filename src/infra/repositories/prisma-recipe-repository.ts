import type { PrismaClient, Recipe } from '../../generated/prisma/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { CraftError } from '../../domain/errors.js';
import type { Tx } from '../../services/ports.js';
import type { CachedRecipe } from '../../services/recipes/recipe-cache.js';
import type { RecipeDefinition, RecipeInfo, RecipeListFilter } from '../../services/recipes/recipe-model.js';
import type { RecipeRepository } from '../../services/recipes/recipe-repository.js';
import { txClient } from '../db/unit-of-work.js';

const ACTIVE_SESSION_STATUSES = ['active', 'completing'];

export function rowToRecipe(row: Recipe): CachedRecipe {
  const definition = JSON.parse(row.definition) as RecipeDefinition;
  const recipe: RecipeInfo = {
    ...definition,
    recipeId: row.id,
    gameServiceId: row.gameServiceId,
    code: row.code,
    recipeType: row.recipeType,
    domain: row.domain,
    isDeprecated: row.isDeprecated,
    deprecatedAt: row.deprecatedAt ? row.deprecatedAt.toISOString() : null,
    deprecationReason: row.deprecationReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  return { recipe, version: row.version };
}

function recipeToRow(r: CachedRecipe) {
  const {
    recipeId,
    isDeprecated,
    deprecatedAt,
    deprecationReason,
    createdAt,
    updatedAt,
    ...definition
  } = r.recipe;
  return {
    id: recipeId,
    gameServiceId: definition.gameServiceId,
    code: definition.code,
    recipeType: definition.recipeType,
    domain: definition.domain,
    category: definition.category ?? null,
    isDiscoverable: definition.isDiscoverable ?? false,
    isDefaultKnown: definition.isDefaultKnown ?? false,
    isDeprecated,
    deprecatedAt: deprecatedAt ? new Date(deprecatedAt) : null,
    deprecationReason: deprecationReason ?? null,
    masteryLevel: definition.masteryLevel ?? null,
    definition: JSON.stringify(definition),
    version: r.version,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === 'P2002' || /Duplicate entry|1062/.test(e.message ?? '');
}

export class PrismaRecipeRepository implements RecipeRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findById(id: string) {
    const row = await this.prisma.recipe.findUnique({ where: { id } });
    return row ? rowToRecipe(row) : null;
  }

  async findByCode(gameServiceId: string, code: string) {
    const row = await this.prisma.recipe.findUnique({ where: { gameServiceId_code: { gameServiceId, code } } });
    return row ? rowToRecipe(row) : null;
  }

  async findByDomain(gameServiceId: string, domain: string) {
    const rows = await this.prisma.recipe.findMany({ where: { gameServiceId, domain } });
    return rows.map(rowToRecipe);
  }

  async list(f: RecipeListFilter) {
    const where: Prisma.RecipeWhereInput = {
      gameServiceId: f.gameServiceId,
      ...(f.recipeType && { recipeType: f.recipeType }),
      ...(f.domain && { domain: f.domain }),
      ...(f.category && { category: f.category }),
      ...(!f.includeDeprecated && { isDeprecated: false }),
      ...(f.tags && f.tags.length > 0 && { tags: { some: { tag: { in: f.tags } } } }),
    };
    const [rows, totalCount] = await Promise.all([
      this.prisma.recipe.findMany({
        where,
        orderBy: [{ domain: 'asc' }, { category: 'asc' }, { code: 'asc' }],
        skip: (f.page - 1) * f.pageSize,
        take: f.pageSize,
      }),
      this.prisma.recipe.count({ where }),
    ]);
    return { items: rows.map(rowToRecipe), totalCount };
  }

  async listDomains(gameServiceId: string, includeDeprecated: boolean) {
    const groups = await this.prisma.recipe.groupBy({
      by: ['domain'],
      where: { gameServiceId, ...(!includeDeprecated && { isDeprecated: false }) },
      _count: { _all: true },
      orderBy: { domain: 'asc' },
    });
    return groups.map((g) => ({ domain: g.domain, recipeCount: g._count._all }));
  }

  async countForInsert(tx: Tx, gameServiceId: string) {
    // A locking read on the (gameServiceId, code) index range: concurrent inserts for
    // the same game service wait (or deadlock and are retried), so the limit is exact.
    const rows = await txClient(tx).$queryRaw<{ n: bigint }[]>`
      SELECT COUNT(*) AS n FROM Recipe WHERE gameServiceId = ${gameServiceId} FOR UPDATE`;
    return Number(rows[0]?.n ?? 0);
  }

  async existingCodes(tx: Tx, gameServiceId: string, codes: string[]) {
    if (codes.length === 0) return new Set<string>();
    const rows = await txClient(tx).recipe.findMany({
      where: { gameServiceId, code: { in: codes } },
      select: { code: true },
    });
    return new Set(rows.map((r) => r.code));
  }

  async insert(tx: Tx, recipes: CachedRecipe[]) {
    const db = txClient(tx);
    try {
      await db.recipe.createMany({ data: recipes.map(recipeToRow) });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new CraftError('RECIPE_CODE_EXISTS', 'a recipe with this code already exists in the game service');
      }
      throw err;
    }
    const tags = recipes.flatMap((r) =>
      (r.recipe.tags ?? []).map((tag) => ({ recipeId: r.recipe.recipeId, gameServiceId: r.recipe.gameServiceId, tag })),
    );
    if (tags.length > 0) await db.recipeTag.createMany({ data: tags });
  }

  async update(tx: Tx, recipe: CachedRecipe, expectedVersion: number) {
    const db = txClient(tx);
    const { id, gameServiceId, code, recipeType, createdAt, ...data } = recipeToRow(recipe);
    void gameServiceId;
    void code;
    void recipeType;
    void createdAt;
    const result = await db.recipe.updateMany({ where: { id, version: expectedVersion }, data });
    if (result.count === 0) return false;
    await db.recipeTag.deleteMany({ where: { recipeId: id } });
    const tags = (recipe.recipe.tags ?? []).map((tag) => ({ recipeId: id, gameServiceId: recipe.recipe.gameServiceId, tag }));
    if (tags.length > 0) await db.recipeTag.createMany({ data: tags });
    return true;
  }

  async findDeprecated(gameServiceIds: string[] | null) {
    const rows = await this.prisma.recipe.findMany({
      where: { isDeprecated: true, ...(gameServiceIds && { gameServiceId: { in: gameServiceIds } }) },
      orderBy: { deprecatedAt: 'asc' },
    });
    return rows.map(rowToRecipe);
  }

  async deleteIfIdle(tx: Tx, id: string) {
    const db = txClient(tx);
    const busy = await db.craftSession.findFirst({
      where: { recipeId: id, status: { in: ACTIVE_SESSION_STATUSES } },
      select: { id: true },
    });
    if (busy) return false;
    const result = await db.recipe.deleteMany({ where: { id, isDeprecated: true } });
    return result.count === 1;
  }

  async inUse(ids: string[]) {
    if (ids.length === 0) return new Set<string>();
    const rows = await this.prisma.craftSession.findMany({
      where: { recipeId: { in: ids }, status: { in: ACTIVE_SESSION_STATUSES } },
      select: { recipeId: true },
      distinct: ['recipeId'],
    });
    return new Set(rows.map((r) => r.recipeId));
  }
}
