import { expectedQuality } from '../../domain/estimate/simulate.js';
import { parseVariable, pickBest, recipeValue, type NpcVariable } from '../../domain/estimate/npc-variables.js';
import type { QualityWeights } from '../../domain/quality/quality.js';
import { skillCheckCount } from '../../domain/session/steps.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { CraftAssessor, CraftContext } from '../sessions/craft-assessor.js';
import type { ReservedMaterial } from '../sessions/session-model.js';
import { factorsFor, type QueryService } from './query-service.js';
import type { QueryRepository } from './query-repository.js';
import type { GameServiceRecipeCache } from './recipe-list-cache.js';
import type { Scope } from '../scope.js';

/** A game service id no game service has (the nil UUID): reads for it find nothing. */
const NO_GAME_SERVICE = '00000000-0000-0000-0000-000000000000';

export interface NpcVariablesDeps {
  assessor: CraftAssessor;
  queries: Pick<QueryService, 'toolQualities' | 'bestStationQuality'>;
  repo: Pick<QueryRepository, 'recipesByCodes' | 'liveSessionCount' | 'lastCompletedQuality'>;
  recipeLists: Pick<GameServiceRecipeCache, 'all'>;
  defaultQualityWeights: QualityWeights;
}

export interface NpcVariablesRequest {
  gameServiceId: string;
  entityId: string;
  entityType: string;
  inventoryId?: string | null;
  variables: string[];
}

export type NpcValue = number | boolean | string | null;

export interface NpcVariableResult {
  name: string;
  value: NpcValue;
  error?: { code: string; message: string };
}

type Evaluation = Awaited<ReturnType<CraftAssessor['evaluate']>>;

/**
 * The `${craft.*}` variable provider (query/npc-variables): one request answers any number
 * of variables from one load of the entity's state. Per request at most: the recipes named
 * by code (one query) or all of the game service's (for best_recipe: one stamp query, the
 * list itself from GameServiceRecipeCache when unchanged), the inventory (listing + contents),
 * item templates, proficiency levels, learned recipes, active stations, wallet, live-session
 * count and last completed quality: each read once (CraftContext), only when a requested
 * variable needs it, and the independent ones in parallel; every variable is then evaluated
 * in memory. So the number of reads does not grow with the number of variables or recipes.
 *
 * Semantics:
 * - `can_craft.<code>`: query/can-craft's canCraft with no station named (knowledge,
 *   proficiency, materials, tools, currency, an active station of each needed type in the
 *   game service; deprecated recipes false);
 * - `materials_for.<code>`: its materialsAvailable;
 * - `proficiency.<domain>`: level, 0 when none;
 * - `station_nearby.<type>`: an active station of the type in the game service (there is no
 *   location service yet, so "nearby" means "in the game service");
 * - `best_recipe`: among the game service's production recipes the entity can craft now
 *   (not deprecated), the one of highest value (recipeValue: sum over outputs of quantity x
 *   outputQuality(expected quality, influence)), ties by code; null when none. Expected
 *   quality: the formula with the materials a start would take, the entity's level, the
 *   best held tools, the best active station of the needed type, and the skill checks at
 *   their expected bonus. Modification and extraction recipes work on a target item the
 *   variables do not name, so they are never best_recipe;
 * - `queue_depth`: the entity's live sessions in the game service;
 * - `last_craft_quality`: final quality of its last completed session in the game service, or null.
 * Unknown or malformed names answer `UNKNOWN_VARIABLE`, unknown recipe codes
 * `RECIPE_NOT_FOUND`, and a named inventory that is not the entity's `INVENTORY_NOT_FOUND`
 * for the variables that read it, each with value null; the request itself succeeds.
 */
export class NpcVariableProvider {
  constructor(private readonly d: NpcVariablesDeps) {}

  /**
   * A game service outside the scope is read as one that does not exist (no recipes, no
   * inventory, no levels...): the answer is exactly what an unknown game service gets.
   */
  async evaluate(scope: Scope, request: NpcVariablesRequest): Promise<{ values: NpcVariableResult[] }> {
    const req = scope.allows(request.gameServiceId) ? request : { ...request, gameServiceId: NO_GAME_SERVICE };
    const parsed = req.variables.map((name) => ({ name, parsed: parseVariable(name) }));
    const vars = parsed.flatMap((p) => (p.parsed.ok ? [p.parsed.variable] : []));
    const has = (...kinds: NpcVariable['kind'][]) => vars.some((v) => kinds.includes(v.kind));
    const codes = [...new Set(vars.flatMap((v) => (v.kind === 'can_craft' || v.kind === 'materials_for' ? [v.recipeCode] : [])))];
    const wantsBest = has('best_recipe');
    const needsRecipes = codes.length > 0 || wantsBest;

    const ctx = this.d.assessor.context({
      gameServiceId: req.gameServiceId,
      entityId: req.entityId,
      entityType: req.entityType,
      inventoryId: req.inventoryId ?? null,
    });
    // Every read the variables need, at once; each is then served from memory.
    const [allRecipes, namedRecipes, queueDepth, lastQuality] = await Promise.all([
      wantsBest ? this.d.recipeLists.all(req.gameServiceId) : null,
      !wantsBest && codes.length > 0 ? this.d.repo.recipesByCodes(req.gameServiceId, codes).then((rs) => rs.map((r) => r.recipe)) : null,
      has('queue_depth') ? this.d.repo.liveSessionCount(req.gameServiceId, req.entityId, req.entityType) : null,
      has('last_craft_quality') ? this.d.repo.lastCompletedQuality(req.gameServiceId, req.entityId, req.entityType) : null,
      needsRecipes ? ctx.inventory() : null,
      needsRecipes || has('proficiency') ? ctx.levels() : null,
      needsRecipes ? ctx.known() : null,
      needsRecipes || has('station_nearby') ? ctx.stations() : null,
    ]);
    const byCode = new Map((allRecipes ?? namedRecipes ?? []).map((r) => [r.code, r]));
    const inventoryOwned = needsRecipes ? (await ctx.inventory()).owned : true;

    const evaluations = new Map<string, Promise<Evaluation>>();
    const evaluateRecipe = (recipe: RecipeInfo) => {
      let e = evaluations.get(recipe.recipeId);
      if (!e) {
        e = this.d.assessor.evaluate(ctx, recipe);
        evaluations.set(recipe.recipeId, e);
      }
      return e;
    };

    const values: NpcVariableResult[] = [];
    for (const { name, parsed: p } of parsed) {
      if (!p.ok) {
        values.push({ name, value: null, error: { code: 'UNKNOWN_VARIABLE', message: p.message.slice(0, 500) } });
        continue;
      }
      const v = p.variable;
      const needsInventory = v.kind === 'can_craft' || v.kind === 'materials_for' || v.kind === 'best_recipe';
      if (needsInventory && !inventoryOwned) {
        values.push({ name, value: null, error: { code: 'INVENTORY_NOT_FOUND', message: 'the inventory does not exist or is not the entity\'s' } });
        continue;
      }
      switch (v.kind) {
        case 'can_craft':
        case 'materials_for': {
          const recipe = byCode.get(v.recipeCode);
          if (!recipe) {
            values.push({ name, value: null, error: { code: 'RECIPE_NOT_FOUND', message: `no recipe "${v.recipeCode}" in the game service`.slice(0, 500) } });
            break;
          }
          const { assessment } = await evaluateRecipe(recipe);
          values.push({ name, value: v.kind === 'can_craft' ? assessment.canCraft : assessment.breakdown.materialsAvailable });
          break;
        }
        case 'proficiency':
          values.push({ name, value: (await ctx.levels()).get(v.domain) ?? 0 });
          break;
        case 'station_nearby':
          values.push({ name, value: (await ctx.stations()).has(v.stationType) });
          break;
        case 'best_recipe':
          values.push({ name, value: await this.bestRecipe(ctx, allRecipes ?? [], evaluateRecipe) });
          break;
        case 'queue_depth':
          values.push({ name, value: queueDepth ?? 0 });
          break;
        case 'last_craft_quality':
          values.push({ name, value: lastQuality ?? null });
          break;
      }
    }
    return { values };
  }

  private async bestRecipe(
    ctx: CraftContext,
    recipes: readonly RecipeInfo[],
    evaluateRecipe: (r: RecipeInfo) => Promise<Evaluation>,
  ): Promise<string | null> {
    const candidates: { code: string; value: number }[] = [];
    for (const recipe of recipes) {
      if (recipe.isDeprecated || recipe.recipeType !== 'production' || !(recipe.outputs ?? []).length) continue;
      // Most of a game service's recipes fail a cheap check: only the rest get the full assessment.
      if (await this.d.assessor.ruledOut(ctx, recipe)) continue;
      const { assessment, materials } = await evaluateRecipe(recipe);
      if (!assessment.canCraft) continue;
      candidates.push({ code: recipe.code, value: recipeValue(recipe.outputs ?? [], await this.expectedQualityOf(ctx, recipe, materials)) });
    }
    return pickBest(candidates)?.code ?? null;
  }

  private async expectedQualityOf(ctx: CraftContext, recipe: RecipeInfo, materials: readonly ReservedMaterial[]) {
    const used = new Set(materials.map((m) => m.sourceInstanceId));
    const [levels, toolQualities, stationQuality] = await Promise.all([
      ctx.levels(),
      this.d.queries.toolQualities(ctx, recipe, used, null),
      this.d.queries.bestStationQuality(ctx, recipe),
    ]);
    const factors = factorsFor(recipe, { materials, level: levels.get(recipe.domain) ?? 0, toolQualities, stationQuality });
    return expectedQuality({ ...factors, weights: recipe.qualityWeights ?? this.d.defaultQualityWeights }, skillCheckCount(recipe.steps));
  }
}
