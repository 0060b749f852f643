import type { CachedRecipe } from '../recipes/recipe-cache.js';

/** What can-craft and the estimates need to know of a game service's stations of a type. */
export interface ActiveStation {
  quality: number;
  tier: number;
  capacity: Record<string, number> | null;
}

/** The reads the query endpoints need beyond the other services' own; each is one query. */
export interface QueryRepository {
  /** Recipe ids the entity has learned (KnownRecipe) in the game service. */
  knownRecipeIds(gameServiceId: string, entityId: string, entityType: string): Promise<Set<string>>;
  /** Active stations of the game service by type: each distinct tier and capacity with its best quality, best first. */
  activeStations(gameServiceId: string): Promise<Map<string, ActiveStation[]>>;
  /** The game service's recipes with these codes (deprecated ones included); unknown codes are absent. */
  recipesByCodes(gameServiceId: string, codes: readonly string[]): Promise<CachedRecipe[]>;
  /** Every recipe of the game service, deprecated ones included, by code. */
  gameServiceRecipes(gameServiceId: string): Promise<CachedRecipe[]>;
  /**
   * A cheap fingerprint of the game service's recipes (count, sum of row versions, latest
   * update): any create, update, deprecation or delete changes it.
   */
  recipeStamp(gameServiceId: string): Promise<string>;
  /** Live (starting, active, completing, cancelling) sessions of the entity in the game service. */
  liveSessionCount(gameServiceId: string, entityId: string, entityType: string): Promise<number>;
  /** Final quality of the entity's most recently completed session in the game service. */
  lastCompletedQuality(gameServiceId: string, entityId: string, entityType: string): Promise<number | null>;
}
