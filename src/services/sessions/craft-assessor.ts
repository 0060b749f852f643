import type { CurrencyClient, Wallet } from '../../clients/currency-client.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient, ItemInstance, ItemTemplate } from '../../clients/item-client.js';
import { TemplateCache } from './template-cache.js';
import { needsTemplates } from './material-choice.js';
import { isExactInput } from '../../domain/session/slots.js';
import { CraftError } from '../../domain/errors.js';
import { chooseToolsIn, currencyShortfalls, recipeKnown, stationMisfit, stationTypesOf, toolCategoriesOf, unmetProficiency } from '../../domain/recipe/eligibility.js';
import type { ActiveStation } from '../queries/query-repository.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { ReservedMaterial } from './session-model.js';
import type { SessionPlanner } from './session-planner.js';

export interface Breakdown {
  recipeKnown: boolean;
  proficiencyMet: boolean;
  materialsAvailable: boolean;
  currencyAvailable: boolean;
  stationAvailable: boolean;
  toolAvailable: boolean;
}

export interface Missing {
  kind: 'material' | 'currency' | 'proficiency' | 'station' | 'tool' | 'knowledge';
  code: string;
  required?: number | null;
  available?: number | null;
}

export interface Assessment {
  canCraft: boolean;
  breakdown: Breakdown;
  missing: Missing[];
}

export interface AssessDeps {
  /** The start's own checks: material allocation and the named-station rules. */
  planner: Pick<SessionPlanner, 'allocate' | 'chooseStation'>;
  inventory: InventoryClient;
  item: ItemClient;
  currency: CurrencyClient;
  /** The entity's level in every domain it has (one read; absent = level 0). */
  levels(gameServiceId: string, entityId: string, entityType: string): Promise<Map<string, number>>;
  /** Recipes the entity has learned in the game service (one read). */
  knownRecipeIds(gameServiceId: string, entityId: string, entityType: string): Promise<Set<string>>;
  /** Active station types of the game service, each with the best quality among its stations (one read). */
  activeStations(gameServiceId: string): Promise<Map<string, ActiveStation[]>>;
  /** Item templates, shared with the planner (one per process). */
  templates?: TemplateCache;
}

export interface EntityScope {
  gameServiceId: string;
  entityId: string;
  entityType: string;
  /** Container whose items count; absent = the entity's first (oldest) inventory. */
  inventoryId?: string | null;
}

export interface InventoryView {
  /** False when a named inventory does not exist or is not the entity's (contents are then empty). */
  owned: boolean;
  containerId: string | null;
  contents: ItemInstance[];
}

/**
 * What the assessor knows about one entity in one game service, each part loaded on first
 * use and at most once: inventory contents, item template categories, proficiency levels,
 * learned recipes, active stations, wallet. Assessing any number of recipes against one
 * context costs the same handful of reads (NPC variables, best recipe, discovery).
 */
export class CraftContext {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly d: AssessDeps,
    readonly scope: EntityScope,
    private readonly templates: TemplateCache,
  ) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memo.set(key, p);
    }
    return p;
  }

  inventory(): Promise<InventoryView> {
    return this.once('inventory', async () => {
      const { entityId, entityType } = this.scope;
      let id = this.scope.inventoryId ?? null;
      if (!id) {
        const [first] = await this.d.inventory.listContainers({
          ownerId: entityId,
          ownerType: entityType,
          gameServiceId: this.scope.gameServiceId,
          containerType: 'inventory',
        });
        id = first?.containerId ?? null;
        if (!id) return { owned: true, containerId: null, contents: [] };
      }
      // The inventory must be the entity's, in the game service: another's reads as not there.
      const container = await this.d.inventory.getContainer(id, true, this.scope.gameServiceId);
      if (!container || container.ownerId !== entityId || container.ownerType !== entityType) {
        return { owned: false, containerId: id, contents: [] };
      }
      const contents = (container.contents ?? []).filter((i) => i.gameServiceId === this.scope.gameServiceId);
      return { owned: true, containerId: id, contents };
    });
  }

  /** Quantity held per template code in the inventory. */
  heldByTemplate(): Promise<Map<string, number>> {
    return this.once('held', async () => {
      const held = new Map<string, number>();
      for (const i of (await this.inventory()).contents) held.set(i.templateCode, (held.get(i.templateCode) ?? 0) + i.quantity);
      return held;
    });
  }

  levels(): Promise<Map<string, number>> {
    return this.once('levels', () => this.d.levels(this.scope.gameServiceId, this.scope.entityId, this.scope.entityType));
  }

  known(): Promise<Set<string>> {
    return this.once('known', () => this.d.knownRecipeIds(this.scope.gameServiceId, this.scope.entityId, this.scope.entityType));
  }

  /** Active stations by type (tier, capacity, best quality), in the context's game service. */
  stations(): Promise<Map<string, ActiveStation[]>> {
    return this.once('stations', () => this.d.activeStations(this.scope.gameServiceId));
  }

  wallet(): Promise<Wallet | null> {
    return this.once('wallet', () =>
      this.d.currency.getWallet({ ownerId: this.scope.entityId, ownerType: this.scope.entityType, gameServiceId: this.scope.gameServiceId }),
    );
  }

  /** Template id -> template: the game service's templates in one read, any other template on its own (once per context). */
  async templatesOf(templateIds: readonly string[]): Promise<Map<string, ItemTemplate>> {
    // The inventory's templates once per context (every recipe asks about the same contents);
    // an id from elsewhere is looked up on its own.
    const all = await this.once('inventory-templates', async () => this.templates.lookup(this.scope.gameServiceId, (await this.inventory()).contents.map((i) => i.templateId)));
    const others = templateIds.filter((id) => !all.has(id));
    if (others.length === 0) return all;
    return new Map([...all, ...(await this.templates.lookup(this.scope.gameServiceId, others))]);
  }

  /** Template id -> category. */
  async categories(templateIds: readonly string[]): Promise<Map<string, string>> {
    const templates = await this.templatesOf(templateIds);
    return new Map([...templates].map(([id, t]) => [id, t.category]));
  }

}

/**
 * "Could this entity start this recipe now?" with every reason at once: the checks of a
 * session start (SessionPlanner), each run on its own, read-only. `context` loads an
 * entity's state once; `assessIn` then evaluates any number of recipes in memory.
 */
export class CraftAssessor {
  private readonly templates: TemplateCache;
  constructor(private readonly d: AssessDeps) {
    this.templates = d.templates ?? new TemplateCache(d.item);
  }

  context(scope: EntityScope): CraftContext {
    return new CraftContext(this.d, scope, this.templates);
  }

  async assess(input: {
    recipe: RecipeInfo;
    entityId: string;
    entityType: string;
    inventoryId?: string | null;
    stationId?: string | null;
  }): Promise<Assessment> {
    const ctx = this.context({
      gameServiceId: input.recipe.gameServiceId,
      entityId: input.entityId,
      entityType: input.entityType,
      inventoryId: input.inventoryId ?? null,
    });
    return this.assessIn(ctx, input.recipe, input.stationId ?? null);
  }

  /**
   * True when `evaluate` would certainly answer canCraft false, decided in memory from the
   * context: unknown, a proficiency requirement unmet, a needed station type with no active
   * station, or less of an input's template held than it needs. False means "assess it".
   */
  async ruledOut(ctx: CraftContext, recipe: RecipeInfo): Promise<boolean> {
    const [known, levels, stations, held] = await Promise.all([ctx.known(), ctx.levels(), ctx.stations(), ctx.heldByTemplate()]);
    if (!recipeKnown(recipe, (id) => known.has(id))) return true;
    if (unmetProficiency(recipe, levels).length > 0) return true;
    if (stationTypesOf(recipe).some((t) => !stations.has(t))) return true;
    return (recipe.inputs ?? []).some((i) => !i.optional && isExactInput(i) && (held.get(i.itemTemplateCode!) ?? 0) < i.quantity);
  }

  /** Assesses one recipe against a loaded context; only the named station is read here. */
  async assessIn(ctx: CraftContext, recipe: RecipeInfo, stationId: string | null = null): Promise<Assessment> {
    return (await this.evaluate(ctx, recipe, stationId)).assessment;
  }

  /** assessIn plus the materials a start would take now (empty when they are not all there). */
  async evaluate(
    ctx: CraftContext,
    recipe: RecipeInfo,
    stationId: string | null = null,
  ): Promise<{ assessment: Assessment; materials: ReservedMaterial[] }> {
    const missing: Missing[] = [];

    const known = await ctx.known();
    const isKnown = recipeKnown(recipe, (id) => known.has(id));
    if (!isKnown) missing.push({ kind: 'knowledge', code: recipe.code });

    const unmet = unmetProficiency(recipe, await ctx.levels());
    for (const r of unmet) missing.push({ kind: 'proficiency', code: r.domain, required: r.required, available: r.current });

    const { contents } = await ctx.inventory();
    const templates = needsTemplates(recipe) ? await ctx.templatesOf(contents.map((i) => i.templateId)) : null;
    const allocation = this.d.planner.allocate(recipe, contents, {}, templates);
    const materials = allocation.ok ? allocation.materials : [];
    const materialsAvailable = allocation.ok;
    if (!allocation.ok) {
      for (const s of allocation.shortfalls) missing.push({ kind: 'material', code: s.itemTemplateCode, required: s.required, available: s.available });
    }

    // As at start: instances taken as materials are not candidates for tools.
    const used = new Set(materials.map((m) => m.sourceInstanceId));
    const categories = toolCategoriesOf(recipe);
    let toolAvailable = true;
    if (categories.length > 0) {
      const candidates = contents.filter((i) => !used.has(i.instanceId));
      const categoryOf = await ctx.categories(candidates.map((i) => i.templateId));
      for (const t of chooseToolsIn(categories, candidates, categoryOf, null)) {
        if (t.instance) continue;
        toolAvailable = false;
        missing.push({ kind: 'tool', code: t.category });
      }
    }

    const stationAvailable = await this.stationAvailable(ctx, recipe, stationId, missing);

    let currencyAvailable = true;
    if ((recipe.currencyCosts ?? []).length > 0) {
      for (const c of currencyShortfalls(recipe, (await ctx.wallet())?.balances ?? [])) {
        currencyAvailable = false;
        missing.push({ kind: 'currency', code: c.currencyCode, required: c.required, available: c.available });
      }
    }

    const breakdown = { recipeKnown: isKnown, proficiencyMet: unmet.length === 0, materialsAvailable, currencyAvailable, stationAvailable, toolAvailable };
    const canCraft = !recipe.isDeprecated && Object.values(breakdown).every(Boolean);
    return { assessment: { canCraft, breakdown, missing }, materials: materialsAvailable ? materials : [] };
  }

  /**
   * A named station must pass the start's checks (exists in the game service, active, of the
   * needed type); otherwise every needed type must have an active station in the game
   * service (no location service yet, so "nearby" is not checked).
   */
  private async stationAvailable(ctx: CraftContext, recipe: RecipeInfo, stationId: string | null, missing: Missing[]) {
    const types = stationTypesOf(recipe);
    if (stationId) {
      try {
        await this.d.planner.chooseStation(recipe, stationId);
        return true;
      } catch (err) {
        if (!(err instanceof CraftError)) throw err;
        missing.push({ kind: 'station', code: types[0] ?? stationId });
        return false;
      }
    }
    if (types.length === 0) return true;
    const active = await ctx.stations();
    let ok = true;
    for (const type of types) {
      // One that can host the recipe: its tier and capacity as a start checks them.
      if (active.get(type)?.some((st) => !stationMisfit(recipe, st))) continue;
      missing.push({ kind: 'station', code: type });
      ok = false;
    }
    return ok;
  }
}
