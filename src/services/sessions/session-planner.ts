import type { AffixClient } from '../../clients/affix-client.js';
import type { CurrencyClient } from '../../clients/currency-client.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient, ItemInstance, ItemTemplate } from '../../clients/item-client.js';
import { CraftError } from '../../domain/errors.js';
import { defaultMasteryLevel, materialQuality, proficiencyFactor, toolFactor } from '../../domain/quality/quality.js';
import { specSession } from '../../domain/rules/spec-ruleset.js';
import { chooseToolsIn, currencyShortfalls, recipeKnown, stationMisfit, stationTypesOf, toolCategoriesOf, unmetProficiency } from '../../domain/recipe/eligibility.js';
import type { Shortfall as MaterialShortfall } from '../../domain/session/allocate-materials.js';
import { allocateFor, needsTemplates, type MaterialNames } from './material-choice.js';
import type { TemplateCache } from './template-cache.js';
import type { RecipeInfo, SessionRecipe } from '../recipes/recipe-model.js';
import { batchRefusal, scaleRecipe } from '../../domain/recipe/batch.js';
import type { Scope } from '../scope.js';
import type { RecipeService } from '../recipes/recipe-service.js';
import type { ChosenTool, HeldCurrency, Participant, ReservedMaterial } from './session-model.js';
import type { ProficiencyAccess, StationAccess, StationView } from './session-ports.js';
import { chooseTarget, type TargetItem } from './session-target.js';

/** Recipe types with completion handling; any other opaque type is refused at start (seed quirk 1). */
export const CRAFTABLE_TYPES = new Set(['production', 'modification', 'extraction', 'repair']);

export interface StartRequest {
  recipeId: string;
  entityId: string;
  entityType: string;
  inventoryId: string;
  stationId?: string | null;
  toolItemId?: string | null;
  targetItemId?: string | null;
  materialItemIds?: string[] | null;
  /** Instances named per slot (the recipe's `slot` names). */
  materialsBySlot?: Record<string, string[]> | null;
  participants?: Participant[] | null;
  /** Ruleset recipes: the crafter's stats. */
  stats?: Record<string, number> | null;
  /** Ruleset recipes: a trial craft (no materials taken, no currency held, nothing created). */
  trial?: boolean | null;
  /** Crafts this many (production recipes, up to maxBatch). */
  batch?: number | null;
  /** The crafter's signature written on the outputs (a display name). */
  creatorSignature?: string | null;
  /** Ruleset recipes: the materials' traits the outputs inherit, chosen by the crafter (else the ruleset's rule). */
  inheritTraits?: string[] | null;
}

/** Everything a start needs, decided before anything moves. */
export interface StartPlan {
  recipe: SessionRecipe;
  materials: ReservedMaterial[];
  holds: HeldCurrency[];
  tools: ChosenTool[];
  station: StationView | null;
  target: TargetItem | null;
  participants: Participant[];
  /** Named numeric state the session starts with. */
  state: Record<string, number>;
  /** The crafter's proficiency level in the recipe's domain. */
  level: number;
  /** The instances the materials come from (their metadata: tier, tags...). */
  materialInstances: ItemInstance[];
}

export interface PlannerDeps {
  recipes: RecipeService;
  proficiency: ProficiencyAccess;
  stations: StationAccess;
  item: ItemClient;
  inventory: InventoryClient;
  currency: CurrencyClient;
  /** Soft dependency: null when no affix service is configured (modification recipes then fail clearly). */
  affix: AffixClient | null;
  /** Learned recipes (teaching, discovery, prerequisites); default-known ones need no entry. */
  isKnown(entityId: string, entityType: string, recipeId: string): Promise<boolean>;
  defaultQualityWeights: { materialQuality: number; proficiencyLevel: number; toolQuality: number };
  /** Item templates (inputs by category, tags or tier), shared with the assessor. */
  templates: TemplateCache;
}

/**
 * Validates a start request against the recipe, the crafter's inventory, wallet,
 * proficiency and station, in the order a player would fix them, each failure with
 * its own code. Read-only: nothing is reserved here.
 */
export class SessionPlanner {
  constructor(private readonly d: PlannerDeps) {}

  async plan(scope: Scope, req: StartRequest): Promise<StartPlan> {
    const found = await this.d.recipes.find(scope, { recipeId: req.recipeId });
    if (!found) throw new CraftError('RECIPE_NOT_FOUND', 'no such recipe', { recipeId: req.recipeId });
    const batch = req.batch ?? 1;
    const refusal = batchRefusal(found.recipe, batch, !!req.trial);
    if (refusal) throw new CraftError('BATCH_NOT_ALLOWED', refusal, { batch, maxBatch: found.recipe.maxBatch ?? 1 });
    // A batch crafts the recipe scaled: the session's snapshot, and everything after it, are the batch's.
    const recipe = scaleRecipe(found.recipe, batch);
    if (recipe.isDeprecated) throw new CraftError('RECIPE_DEPRECATED', 'the recipe is deprecated; no new sessions can start');
    if (recipe.recipeType === 'modification' && !this.d.affix) {
      throw new CraftError('AFFIX_SERVICE_UNAVAILABLE', 'modification crafting is unavailable: no affix service is configured');
    }
    if (!CRAFTABLE_TYPES.has(recipe.recipeType)) {
      throw new CraftError('VALIDATION_FAILED', `recipes of type "${recipe.recipeType}" have no completion handling in this service`, {
        recipeType: recipe.recipeType,
      });
    }
    const learned = recipe.isDefaultKnown ? false : await this.d.isKnown(req.entityId, req.entityType, recipe.recipeId);
    if (!recipeKnown(recipe, () => learned)) throw new CraftError('RECIPE_NOT_KNOWN', 'the entity does not know this recipe');
    const participants = this.checkParticipants(req);

    const levels = await this.proficiencyLevels(recipe, req);
    const all = await this.inventoryContents(recipe, req);
    const target = await chooseTarget(recipe, all, req.targetItemId ?? null, this.d);
    // The target is worked on, never spent as a material or used as a tool.
    const contents = target ? all.filter((i) => i.instanceId !== target.instanceId) : all;
    // A trial craft takes no materials and holds no currency (it creates nothing either).
    const materials = req.trial ? [] : this.chooseMaterials(recipe, contents, req, await this.templatesFor(recipe, contents));
    const station = await this.chooseStation(recipe, req.stationId ?? null);
    const usedAsMaterial = new Set(materials.map((m) => m.sourceInstanceId));
    const tools = await this.chooseTools(recipe, contents.filter((i) => !usedAsMaterial.has(i.instanceId)), req.toolItemId ?? null);
    await this.checkOutputTemplates(recipe);
    const holds = req.trial ? [] : await this.planHolds(recipe, req);

    const mastery = recipe.masteryLevel ?? defaultMasteryLevel(recipe.proficiencyRequirements ?? []);
    const proficiency = proficiencyFactor(levels.get(recipe.domain) ?? 0, mastery);
    const tool = toolFactor(
      tools.map((t) => t.quality ?? 0.5),
      station ? station.quality : null,
    );
    return {
      recipe,
      materials,
      holds,
      tools,
      station,
      target,
      participants,
      state: { ...this.qualityState(recipe, materials, proficiency, tool), stepBonusTotal: 0, masteryLevel: mastery },
      level: levels.get(recipe.domain) ?? 0,
      materialInstances: contents.filter((i) => materials.some((m) => m.sourceInstanceId === i.instanceId)),
    };
  }

  /**
   * A start lost a race for a material: the materials again, from the inventory as it is now
   * (without the target and the tools the session holds), or MATERIALS_INSUFFICIENT. The
   * quality state follows the new materials.
   */
  async replanMaterials(
    recipe: RecipeInfo,
    req: StartRequest,
    held: { targetItemId: string | null; toolIds: string[]; state: Record<string, number> },
  ): Promise<{ materials: ReservedMaterial[]; state: Record<string, number>; materialInstances: ItemInstance[] }> {
    const busy = new Set([held.targetItemId, ...held.toolIds]);
    const contents = (await this.inventoryContents(recipe, req)).filter((i) => !busy.has(i.instanceId));
    const materials = this.chooseMaterials(recipe, contents, req, await this.templatesFor(recipe, contents));
    const quality = this.qualityState(recipe, materials, held.state.proficiencyFactor ?? 0, held.state.toolFactor ?? 0.5);
    const materialInstances = contents.filter((i) => materials.some((m) => m.sourceInstanceId === i.instanceId));
    return { materials, materialInstances, state: { ...held.state, ...quality, quality: quality.quality + (held.state.stepBonusTotal ?? 0) } };
  }

  /** The crafter's inventory in the recipe's game service, which must be its own: nobody spends another's items. */
  private async inventoryContents(recipe: RecipeInfo, req: StartRequest): Promise<ItemInstance[]> {
    const container = await this.d.inventory.getContainer(req.inventoryId, true, recipe.gameServiceId);
    if (!container || container.ownerId !== req.entityId || container.ownerType !== req.entityType) {
      throw new CraftError('INVENTORY_NOT_FOUND', 'no such inventory for this entity', { inventoryId: req.inventoryId });
    }
    return (container.contents ?? []).filter((i) => i.gameServiceId === recipe.gameServiceId);
  }

  private qualityState(recipe: RecipeInfo, materials: ReservedMaterial[], proficiency: number, tool: number) {
    const weights = recipe.qualityWeights ?? this.d.defaultQualityWeights;
    const material = materialQuality(materials.map((m) => ({ quantity: m.quantity, quality: m.quality })));
    // The default ruleset's starting state (src/domain/rules/spec-ruleset.ts) holds the base quality.
    const base = specSession({ steps: recipe.steps, factors: { material, proficiency, tool }, weights, collaborationBonus: 0 }).state.pools.base!;
    return { quality: base, baseQuality: base, materialQuality: material, proficiencyFactor: proficiency, toolFactor: tool };
  }

  checkParticipants(req: StartRequest): Participant[] {
    const participants = req.participants ?? [];
    const ids = new Set<string>();
    for (const p of participants) {
      const id = `${p.entityType}:${p.entityId}`;
      if (p.entityId === req.entityId || ids.has(id)) {
        throw new CraftError('PARTICIPANT_INVALID', 'participants must be distinct and differ from the crafter', {
          entityId: p.entityId,
        });
      }
      ids.add(id);
    }
    return participants;
  }

  async proficiencyLevels(recipe: RecipeInfo, req: StartRequest) {
    const domains = new Set([recipe.domain, ...(recipe.proficiencyRequirements ?? []).map((r) => r.domain)]);
    const levels = new Map<string, number>();
    for (const domain of domains) {
      levels.set(domain, await this.d.proficiency.levelOf(recipe.gameServiceId, req.entityId, req.entityType, domain));
    }
    const unmet = unmetProficiency(recipe, levels);
    if (unmet.length > 0) {
      throw new CraftError('PROFICIENCY_TOO_LOW', `proficiency too low: ${unmet.map((u) => `${u.domain} ${u.current}/${u.required}`).join(', ')}`, {
        unmet,
      });
    }
    return levels;
  }

  /** The templates matching the recipe's inputs needs (none when it names exact templates only). */
  async templatesFor(recipe: RecipeInfo, contents: readonly ItemInstance[]): Promise<ReadonlyMap<string, ItemTemplate> | null> {
    if (!needsTemplates(recipe)) return null;
    return this.d.templates.lookup(recipe.gameServiceId, contents.map((i) => i.templateId));
  }

  chooseMaterials(recipe: RecipeInfo, contents: ItemInstance[], names: MaterialNames, templates: ReadonlyMap<string, ItemTemplate> | null): ReservedMaterial[] {
    const allocation = this.allocate(recipe, contents, names, templates);
    if (!allocation.ok) {
      throw new CraftError('MATERIALS_INSUFFICIENT', 'not enough materials of the required quality', {
        shortfalls: allocation.shortfalls,
      });
    }
    return allocation.materials;
  }

  /**
   * chooseMaterials without the throw for a shortfall: assessing a thousand recipes must not
   * build a thousand errors (stack traces cost more than the allocation). `templates` when the
   * recipe takes inputs by category, tags or tier (needsTemplates).
   */
  allocate(
    recipe: RecipeInfo,
    contents: ItemInstance[],
    names: MaterialNames,
    templates: ReadonlyMap<string, ItemTemplate> | null = null,
  ): { ok: true; materials: ReservedMaterial[] } | { ok: false; shortfalls: MaterialShortfall[] } {
    return allocateFor(recipe, contents, templates, names);
  }

  async chooseStation(recipe: RecipeInfo, stationId: string | null): Promise<StationView | null> {
    const types = stationTypesOf(recipe);
    if (types.length > 1) {
      throw new CraftError('STATION_NOT_AVAILABLE', `the recipe needs stations of several types (${types.join(', ')}); one session uses one station`);
    }
    if (!stationId) {
      if (types.length === 0) return null;
      throw new CraftError('STATION_NOT_AVAILABLE', `the recipe needs a station of type "${types[0]}"; give stationId`, {
        stationType: types[0],
      });
    }
    const station = await this.d.stations.find(stationId, recipe.gameServiceId);
    if (!station) {
      throw new CraftError('STATION_NOT_FOUND', 'no such station', { stationId });
    }
    if (!station.isActive) throw new CraftError('STATION_NOT_AVAILABLE', 'the station is deregistered', { stationId });
    if (types.length === 1 && station.stationType !== types[0]) {
      throw new CraftError('STATION_NOT_AVAILABLE', `the recipe needs a "${types[0]}", this station is a "${station.stationType}"`, {
        stationId,
        required: types[0],
      });
    }
    const misfit = types.length === 1 ? stationMisfit(recipe, station) : null;
    if (misfit?.reason === 'tier') {
      throw new CraftError('STATION_NOT_AVAILABLE', `the recipe needs a station of tier ${misfit.required} or higher; this one is tier ${misfit.tier}`, { stationId, ...misfit });
    }
    if (misfit?.reason === 'capacity') {
      throw new CraftError('STATION_NOT_AVAILABLE', `the recipe puts ${misfit.required} units in the station's "${misfit.kind}" slots; it holds ${misfit.capacity}`, { stationId, ...misfit });
    }
    return station;
  }

  /** One tool per required category: the named one when it fits, else the best one held. */
  async chooseTools(recipe: RecipeInfo, contents: ItemInstance[], toolItemId: string | null): Promise<ChosenTool[]> {
    const categories = toolCategoriesOf(recipe);
    if (categories.length === 0) return [];
    const categoryOf = new Map<string, string>();
    for (const templateId of new Set(contents.map((i) => i.templateId))) {
      const template = await this.d.item.getTemplate({ templateId, gameId: recipe.gameServiceId });
      if (template) categoryOf.set(templateId, template.category);
    }
    if (toolItemId && !contents.some((i) => i.instanceId === toolItemId)) {
      throw new CraftError('TOOL_NOT_AVAILABLE', 'the named tool is not in the inventory', { toolItemId });
    }
    return chooseToolsIn(categories, contents, categoryOf, toolItemId).map(({ category, instance, quality }) => {
      if (!instance) throw new CraftError('TOOL_NOT_AVAILABLE', `the recipe needs a tool of category "${category}"`, { category });
      return { category, instanceId: instance.instanceId, quality };
    });
  }

  async checkOutputTemplates(recipe: RecipeInfo) {
    const produced = recipe.recipeType === 'extraction' ? (recipe.extractionOutputs ?? []) : recipe.recipeType === 'production' ? (recipe.outputs ?? []) : [];
    for (const output of produced) {
      const template = await this.d.item.getTemplate({ code: output.itemTemplateCode, gameId: recipe.gameServiceId });
      if (!template) {
        throw new CraftError('VALIDATION_FAILED', `output item template "${output.itemTemplateCode}" does not exist`, {
          itemTemplateCode: output.itemTemplateCode,
        });
      }
    }
  }

  async planHolds(recipe: RecipeInfo, req: StartRequest): Promise<HeldCurrency[]> {
    const costs = recipe.currencyCosts ?? [];
    if (costs.length === 0) return [];
    const wallet = await this.d.currency.getOrCreateWallet({ ownerId: req.entityId, ownerType: req.entityType, gameServiceId: recipe.gameServiceId });
    const short = currencyShortfalls(recipe, wallet.balances);
    if (short.length > 0) {
      throw new CraftError('INSUFFICIENT_FUNDS', 'not enough currency for the recipe', {
        required: short.map((c) => ({ currencyCode: c.currencyCode, amount: c.required })),
      });
    }
    return costs.map((c) => ({ walletId: wallet.walletId, currencyCode: c.currencyCode, amount: c.amount, holdId: null }));
  }
}
