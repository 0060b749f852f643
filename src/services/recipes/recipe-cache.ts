import type { RecipeInfo } from './recipe-model.js';

/** A recipe as cached: its public shape plus the row version that orders writes. */
export interface CachedRecipe {
  recipe: RecipeInfo;
  version: number;
}

export interface RecipeCache {
  byId(id: string, load: () => Promise<CachedRecipe | null>): Promise<CachedRecipe | null>;
  byCode(
    gameServiceId: string,
    code: string,
    load: () => Promise<CachedRecipe | null>,
  ): Promise<CachedRecipe | null>;
  /** Every recipe of a domain in a game service, deprecated ones included. */
  byDomain(gameServiceId: string, domain: string, load: () => Promise<CachedRecipe[]>): Promise<CachedRecipe[]>;
  /** Call after a committed create/update/deprecate. */
  changed(recipe: CachedRecipe, previousDomain?: string): Promise<void>;
  /** Call after a committed delete. */
  deleted(recipe: CachedRecipe): Promise<void>;
}
