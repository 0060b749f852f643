import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { QueryRepository } from './query-repository.js';

interface Entry {
  stamp: string;
  recipes: RecipeInfo[];
  loadedAt: number;
}

/**
 * Every recipe of a game service, for `best_recipe`, kept in process memory and validated
 * on every use against `recipeStamp` (one aggregate over the game service's recipe rows,
 * no definitions transferred or parsed). A change by any instance changes the stamp, so
 * a reader never sees a list older than the database's at the time of its read; entries
 * also expire after `maxAgeMs` and at most `maxEntries` game services are kept (least
 * recently used out).
 */
export class GameServiceRecipeCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly repo: Pick<QueryRepository, 'recipeStamp' | 'gameServiceRecipes'>,
    private readonly opts: { maxEntries: number; maxAgeMs: number; now?: () => number } = { maxEntries: 64, maxAgeMs: 60_000 },
  ) {}

  async all(gameServiceId: string): Promise<RecipeInfo[]> {
    const now = (this.opts.now ?? Date.now)();
    // The stamp is read before the list: a change committed in between makes the stored
    // stamp stale (one extra reload later), never the stored list.
    const stamp = await this.repo.recipeStamp(gameServiceId);
    const hit = this.entries.get(gameServiceId);
    if (hit && hit.stamp === stamp && now - hit.loadedAt <= this.opts.maxAgeMs) {
      this.entries.delete(gameServiceId);
      this.entries.set(gameServiceId, hit);
      return hit.recipes;
    }
    const recipes = (await this.repo.gameServiceRecipes(gameServiceId)).map((c) => c.recipe);
    this.entries.delete(gameServiceId);
    this.entries.set(gameServiceId, { stamp, recipes, loadedAt: now });
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return recipes;
  }
}
