import type { ItemClient, ItemInstance } from '../../clients/item-client.js';
import { CraftError } from '../../domain/errors.js';
import { allocateAvailable } from '../../domain/estimate/materials.js';
import { outputPreview } from '../../domain/estimate/preview.js';
import { rulesOutputPreview } from '../../domain/rules/preview.js';
import type { RulesetDefinition } from '../../domain/rules/ruleset.js';
import {
  DEFAULT_ESTIMATE_SEED,
  qualityBreakdown,
  simulateQuality,
  summarize,
} from '../../domain/estimate/simulate.js';
import {
  defaultMasteryLevel,
  materialQuality,
  NEUTRAL_QUALITY,
  proficiencyFactor,
  toolFactor,
  type QualityFactors,
  type QualityWeights,
  instanceQuality,
} from '../../domain/quality/quality.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { RecipeService } from '../recipes/recipe-service.js';
import { chooseToolsIn, stationMisfit, stationTypesOf, toolCategoriesOf } from '../../domain/recipe/eligibility.js';
import type { CraftAssessor, CraftContext, Missing } from '../sessions/craft-assessor.js';
import type { ProficiencyAccess, StationAccess } from '../sessions/session-ports.js';
import { materialCandidate, materialLots, namedBySlot, needsTemplates } from '../sessions/material-choice.js';
import type { TemplateCache } from '../sessions/template-cache.js';
import type { Scope } from '../scope.js';
import { estimateRules, type RulesEstimateDeps, type Simulator } from './rules-estimate.js';
import type { Policy } from '../../domain/rules/simulate.js';

export interface QueryServiceDeps {
  recipes: Pick<RecipeService, 'find'>;
  assessor: CraftAssessor;
  item: ItemClient;
  proficiency: Pick<ProficiencyAccess, 'levelOf'>;
  stations: Pick<StationAccess, 'find'>;
  defaultQualityWeights: QualityWeights;
  /** Ruleset recipes: their ruleset versions, compiled. */
  rulesets: RulesEstimateDeps;
  /** Where ruleset estimates simulate (worker threads, or the request's thread). */
  simulator: Simulator;
  /** Item templates (inputs by category, tags or tier). */
  templates: TemplateCache;
}

export interface CanCraftRequest {
  recipeId: string;
  entityId: string;
  entityType: string;
  inventoryId?: string | null;
  stationId?: string | null;
}

export interface EstimateRequest {
  recipeId: string;
  entityId: string;
  entityType: string;
  materialItemIds: string[];
  materialsBySlot?: Record<string, string[]> | null;
  toolItemId?: string | null;
  stationId?: string | null;
  simulations?: number | null;
  seed?: number | null;
  /** Ruleset recipes: the crafter's stats and how the simulated sessions are played. */
  stats?: Record<string, number> | null;
  policy?: Policy | null;
}

const DEFAULT_SIMULATIONS = 1000;

/**
 * The crafting factors of an entity for a recipe, as a session start computes them
 * (SessionPlanner.plan): material = quantity-weighted mean quality of the materials,
 * proficiency = min(1, level / masteryLevel), tool = the tools' mean quality averaged with
 * the station's. Shared by estimate-quality and the NPC variables' best_recipe.
 */
export function factorsFor(
  recipe: RecipeInfo,
  input: {
    materials: readonly { quantity: number; quality: number | null }[];
    level: number;
    /** One per needed tool category: its quality, or null when unknown (counts 0.5). */
    toolQualities: readonly (number | null)[];
    stationQuality: number | null;
  },
): QualityFactors {
  const mastery = recipe.masteryLevel ?? defaultMasteryLevel(recipe.proficiencyRequirements ?? []);
  return {
    material: materialQuality(input.materials),
    proficiency: proficiencyFactor(input.level, mastery),
    tool: toolFactor(
      input.toolQualities.map((q) => q ?? NEUTRAL_QUALITY),
      input.stationQuality,
    ),
  };
}

/**
 * query/can-craft, query/estimate-quality and query/output-preview. Read-only: nothing is
 * reserved, created or written (a wallet is read, never created).
 */
export class QueryService {
  constructor(private readonly d: QueryServiceDeps) {}

  async canCraft(scope: Scope, req: CanCraftRequest) {
    const recipe = await this.recipe(scope, req.recipeId);
    const ctx = this.d.assessor.context({
      gameServiceId: recipe.gameServiceId,
      entityId: req.entityId,
      entityType: req.entityType,
      inventoryId: req.inventoryId ?? null,
    });
    const checks: Promise<unknown>[] = [];
    if (req.inventoryId) {
      checks.push(
        ctx.inventory().then((inv) => {
          if (!inv.owned) throw new CraftError('INVENTORY_NOT_FOUND', 'no such inventory for this entity', { inventoryId: req.inventoryId });
        }),
      );
    }
    if (req.stationId) checks.push(this.station(req.stationId, recipe));
    await Promise.all(checks);
    const a = await this.d.assessor.assessIn(ctx, recipe, req.stationId ?? null);
    return { canCraft: a.canCraft, breakdown: a.breakdown, missing: a.missing.map(missingInfo) };
  }

  /**
   * The deterministic breakdown plus a seeded simulation of the skill checks (see
   * src/domain/estimate/simulate.ts). Factors as at a session start:
   * - material: the named instances (ITEM_NOT_FOUND when one does not exist), allocated to
   *   the recipe's inputs like a start does (highest quality first, stacks split); an input
   *   they do not fully cover takes what there is; none named = 0.5 (unknown);
   * - proficiency: the entity's level in the recipe's domain over the mastery level;
   * - tool: per tool category the steps need, the named tool when it is of that category,
   *   else the best one held in the entity's inventory (not counting the materials), 0.5
   *   when none is held; averaged with the station: the named one (STATION_NOT_FOUND
   *   unless it is the game service's), else, when the steps need a station, the best
   *   active one of that type in the game service (0.5 when there is none).
   */
  async estimateQuality(scope: Scope, req: EstimateRequest) {
    const recipe = await this.recipe(scope, req.recipeId);
    const ctx = this.d.assessor.context({ gameServiceId: recipe.gameServiceId, entityId: req.entityId, entityType: req.entityType });
    // The named materials and the named tool in one read.
    const toolId = req.toolItemId ?? null;
    const bySlot = req.materialsBySlot ?? {};
    const materialIds = [...new Set([...req.materialItemIds, ...Object.values(bySlot).flat()])];
    const [items, station, level] = await Promise.all([
      this.namedItems(recipe.gameServiceId, [...materialIds, ...(toolId && !materialIds.includes(toolId) ? [toolId] : [])]),
      req.stationId ? this.station(req.stationId, recipe) : Promise.resolve(null),
      this.d.proficiency.levelOf(recipe.gameServiceId, req.entityId, req.entityType, recipe.domain),
    ]);
    const named = items.filter((i) => materialIds.includes(i.instanceId));
    const tool = toolId ? (items.find((i) => i.instanceId === toolId) ?? null) : null;
    const templates = named.length > 0 && needsTemplates(recipe) ? await this.d.templates.lookup(recipe.gameServiceId, named.map((i) => i.templateId)) : null;
    const candidates = new Map(named.map((i) => [i.instanceId, materialCandidate(i, templates?.get(i.templateId))]));
    const slots = namedBySlot(recipe, bySlot, (id) => candidates.get(id)!);
    const picks = named.length === 0 ? [] : allocateAvailable(recipe.inputs ?? [], [...candidates.values()], slots);
    const used = new Set(picks.map((p) => p.instanceId));
    const toolQualities = await this.toolQualities(ctx, recipe, used, tool);
    const best = station ? null : await this.bestStation(ctx, recipe);
    const stationQuality = station ? station.quality : await this.bestStationQuality(ctx, recipe);
    const stationTier = (station ? station.tier : best?.tier) ?? 0;
    const factors = factorsFor(recipe, { materials: picks, level, toolQualities, stationQuality });
    const input = { ...factors, weights: recipe.qualityWeights ?? this.d.defaultQualityWeights, collaborationBonus: 0 };
    if (recipe.ruleset) {
      const known = toolQualities.filter((q): q is number => q !== null);
      const instances = new Map(named.map((i) => [i.instanceId, i]));
      const lotTemplates = picks.length > 0 ? (templates ?? (await this.d.templates.lookup(recipe.gameServiceId, named.map((i) => i.templateId)))) : new Map();
      const { qualities, ...rules } = await estimateRules(this.d.rulesets, this.d.simulator, recipe, {
        level,
        proficiencyFactor: factors.proficiency,
        materials: { quality: factors.material, lots: materialLots(recipe, picks, instances, lotTemplates) },
        toolQuality: known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0.5,
        stationQuality: stationQuality ?? 0,
        stationTier,
      }, req);
      return { breakdown: qualityBreakdown(input), distribution: summarize(qualities), rules };
    }
    return {
      breakdown: qualityBreakdown(input),
      distribution: simulateQuality({
        ...input,
        steps: recipe.steps,
        simulations: req.simulations ?? DEFAULT_SIMULATIONS,
        seed: String(req.seed ?? DEFAULT_ESTIMATE_SEED),
      }),
    };
  }

  /** What the recipe yields at each quality band (src/domain/estimate/preview.ts). */
  async outputPreview(scope: Scope, recipeId: string) {
    const recipe = await this.recipe(scope, recipeId);
    const ref = recipe.ruleset;
    if (!ref) return { bands: outputPreview(recipe) };
    // A ruleset recipe: its outputs come from the outcome's bands, not the quality bands.
    const info = await this.d.rulesets.find(recipe.gameServiceId, ref.code, ref.version ?? null);
    if (!info) throw new CraftError('VALIDATION_FAILED', `the recipe's ruleset "${ref.code}" does not exist`, { code: ref.code });
    const rules = rulesOutputPreview(info.definition as RulesetDefinition, info.version, recipe.outputs ?? []);
    return { bands: outputPreview(recipe), rules };
  }

  /**
   * Tool qualities a start would use, one per needed category: the named tool when it is
   * of the category, else the best held (materials excluded); null (unknown) when none.
   */
  async toolQualities(ctx: CraftContext, recipe: RecipeInfo, usedAsMaterial: ReadonlySet<string>, named: ItemInstance | null) {
    const categories = toolCategoriesOf(recipe);
    if (categories.length === 0) return [];
    if (named && categories.length === 1 && !usedAsMaterial.has(named.instanceId)) {
      // The one tool the steps need is named and fits: a start takes it, whatever else is held.
      const category = (await ctx.categories([named.templateId])).get(named.templateId);
      if (category === categories[0]) return [instanceQuality(named.instanceMetadata)];
    }
    const held = (await ctx.inventory()).contents.filter((i) => !usedAsMaterial.has(i.instanceId));
    const candidates = named && !held.some((i) => i.instanceId === named.instanceId) ? [...held, named] : held;
    const categoryOf = await ctx.categories(candidates.map((i) => i.templateId));
    return chooseToolsIn(categories, candidates, categoryOf, named?.instanceId ?? null).map((t) => (t.instance ? t.quality : null));
  }

  /** No station named: the best active one of the type the steps need (0.5 when none); null when none is needed. */
  async bestStationQuality(ctx: CraftContext, recipe: RecipeInfo): Promise<number | null> {
    const [type] = stationTypesOf(recipe);
    if (!type) return null;
    return (await this.bestStation(ctx, recipe))?.quality ?? NEUTRAL_QUALITY;
  }

  /** The best active station of the type the steps need that can host the recipe (tier and capacity), as a start would need. */
  private async bestStation(ctx: CraftContext, recipe: RecipeInfo) {
    const [type] = stationTypesOf(recipe);
    if (!type) return null;
    return (await ctx.stations()).get(type)?.find((st) => !stationMisfit(recipe, st)) ?? null;
  }

  private async recipe(scope: Scope, recipeId: string): Promise<RecipeInfo> {
    const found = await this.d.recipes.find(scope, { recipeId });
    if (!found) throw new CraftError('RECIPE_NOT_FOUND', 'no such recipe', { recipeId });
    return found.recipe;
  }

  private async station(stationId: string, recipe: RecipeInfo) {
    const station = await this.d.stations.find(stationId, recipe.gameServiceId);
    if (!station) throw new CraftError('STATION_NOT_FOUND', 'no such station', { stationId });
    return station;
  }

  /** Items of the recipe's game service only: another game service's item is not found. */
  private async namedItems(gameServiceId: string, ids: readonly string[]): Promise<ItemInstance[]> {
    if (ids.length === 0) return [];
    const { items, notFound } = await this.d.item.batchGetInstances([...ids], gameServiceId);
    if (notFound.length > 0) throw new CraftError('ITEM_NOT_FOUND', 'some named items do not exist', { itemIds: notFound });
    const byId = new Map(items.map((i) => [i.instanceId, i]));
    return ids.map((id) => byId.get(id)).filter((i): i is ItemInstance => !!i);
  }
}

export function missingInfo(m: Missing) {
  return { kind: m.kind, code: m.code, required: m.required ?? null, available: m.available ?? null };
}
