import type { Tx } from '../ports.js';
import type { CachedRecipe } from './recipe-cache.js';
import type { RecipeListFilter } from './recipe-model.js';

/** Every database call about recipes. Methods taking `tx` run inside the caller's transaction. */
export interface RecipeRepository {
  findById(id: string): Promise<CachedRecipe | null>;
  findByCode(gameServiceId: string, code: string): Promise<CachedRecipe | null>;
  findByDomain(gameServiceId: string, domain: string): Promise<CachedRecipe[]>;
  list(filter: RecipeListFilter): Promise<{ items: CachedRecipe[]; totalCount: number }>;
  listDomains(gameServiceId: string, includeDeprecated: boolean): Promise<{ domain: string; recipeCount: number }[]>;
  /** Counts a game service's recipes and locks the range so concurrent inserts serialise. */
  countForInsert(tx: Tx, gameServiceId: string): Promise<number>;
  existingCodes(tx: Tx, gameServiceId: string, codes: string[]): Promise<Set<string>>;
  /** Throws RECIPE_CODE_EXISTS on a duplicate code. */
  insert(tx: Tx, recipes: CachedRecipe[]): Promise<void>;
  /** Writes the recipe if its stored version is still `expectedVersion`; false otherwise. */
  update(tx: Tx, recipe: CachedRecipe, expectedVersion: number): Promise<boolean>;
  /** Deprecated recipes of these game services (null = every game service). */
  findDeprecated(gameServiceIds: string[] | null): Promise<CachedRecipe[]>;
  /** Deletes a deprecated recipe no active session uses; false when that no longer holds. */
  deleteIfIdle(tx: Tx, id: string): Promise<boolean>;
  inUse(ids: string[]): Promise<Set<string>>;
}
