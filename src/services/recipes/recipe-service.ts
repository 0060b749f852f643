import { CraftError } from '../../domain/errors.js';
import { validateRecipe, type RecipeProblem } from '../../domain/recipe/validate-recipe.js';
import type { GameServiceClient } from '../../clients/game-service-client.js';
import type { Clock, IdGenerator, LockProvider, Logger, Outbox, UnitOfWork } from '../ports.js';
import type { ConflictMetrics } from '../metrics.js';
import type { CachedRecipe, RecipeCache } from './recipe-cache.js';
import { recipeEvent } from './recipe-events.js';
import {
  compareRecipes,
  IMMUTABLE_FIELDS,
  type CreateRecipeInput,
  type RecipeDefinition,
  type RecipeInfo,
  type RecipeListFilter,
  type SeedRecipeItem,
  type UpdateRecipeInput,
} from './recipe-model.js';
import type { RecipeRepository } from './recipe-repository.js';
import type { Scope } from '../scope.js';
import type { RulesetService } from '../rulesets/ruleset-service.js';
import type { RulesetDefinitionInput } from '../rulesets/ruleset-model.js';
import { requireActiveGameService } from '../game-service-access.js';

export interface RecipeServiceDeps {
  repo: RecipeRepository;
  /** A recipe may name a ruleset; a seed may carry the rulesets its recipes name. */
  rulesets: Pick<RulesetService, 'find' | 'problems' | 'seedInTx' | 'seedVersions'>;
  cache: RecipeCache;
  uow: UnitOfWork;
  outbox: Outbox;
  locks: LockProvider;
  gameServices: GameServiceClient;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Lost version races; no-op when not given. */
  metrics?: ConflictMetrics;
  settings: { maxRecipesPerGameService: number; maxProficiencyLevel: number };
  /**
   * Called after a create / seed / update commits with the proficiency domains the recipes
   * name (domain, requirements, grants): the seed proficiency store registers their
   * `proficiency:<domain>` seed types. Best effort: a failure is logged, the request succeeds.
   */
  registerDomains?: (gameServiceId: string, domains: string[]) => Promise<void>;
}

const VERSION_RETRIES = 3;

export class RecipeService {
  constructor(private readonly d: RecipeServiceDeps) {}

  async create(scope: Scope, input: CreateRecipeInput): Promise<{ recipeId: string; recipe: RecipeInfo }> {
    await requireActiveGameService(this.d.gameServices, scope, input.gameServiceId);
    this.assertValid(input);
    await this.assertRulesetExists(input.gameServiceId, input.ruleset ?? null);
    const record = this.newRecord(input, this.d.clock.now());
    await this.d.uow.run(async (tx) => {
      const count = await this.d.repo.countForInsert(tx, input.gameServiceId);
      this.assertWithinLimit(count + 1);
      await this.d.repo.insert(tx, [record]);
      await this.d.outbox.add(tx, [recipeEvent('created', record.recipe, this.d.ids.uuid(), this.d.clock.now())]);
    });
    this.d.outbox.kick();
    await this.d.cache.changed(record);
    await this.registerDomains(input.gameServiceId, [record.recipe]);
    return { recipeId: record.recipe.recipeId, recipe: record.recipe };
  }

  async get(scope: Scope, query: { recipeId?: string | null; gameServiceId?: string | null; code?: string | null }): Promise<RecipeInfo> {
    const found = await this.find(scope, query);
    if (!found) throw new CraftError('RECIPE_NOT_FOUND', 'no such recipe', { ...query });
    return found.recipe;
  }

  /**
   * Cached lookup used by other services (sessions, queries). A recipe of a game service
   * outside the scope is not found (null), exactly like a missing one.
   */
  async find(scope: Scope, query: { recipeId?: string | null; gameServiceId?: string | null; code?: string | null }) {
    if (query.recipeId) {
      const found = await this.d.cache.byId(query.recipeId, () => this.d.repo.findById(query.recipeId!));
      return found && scope.allows(found.recipe.gameServiceId) ? found : null;
    }
    if (query.gameServiceId && query.code) {
      const { gameServiceId, code } = query;
      if (!scope.allows(gameServiceId)) return null;
      return this.d.cache.byCode(gameServiceId, code, () => this.d.repo.findByCode(gameServiceId, code));
    }
    throw new CraftError('VALIDATION_FAILED', 'give either recipeId, or gameServiceId and code');
  }

  async list(scope: Scope, filter: RecipeListFilter) {
    if (!scope.allows(filter.gameServiceId)) return { items: [], totalCount: 0 };
    const onlyDomain = filter.domain && !filter.recipeType && !filter.category && !(filter.tags && filter.tags.length);
    if (onlyDomain) {
      const all = await this.d.cache.byDomain(filter.gameServiceId, filter.domain!, () =>
        this.d.repo.findByDomain(filter.gameServiceId, filter.domain!),
      );
      const visible = all
        .map((c) => c.recipe)
        .filter((r) => filter.includeDeprecated || !r.isDeprecated)
        .sort(compareRecipes);
      const start = (filter.page - 1) * filter.pageSize;
      return { items: visible.slice(start, start + filter.pageSize), totalCount: visible.length };
    }
    const { items, totalCount } = await this.d.repo.list(filter);
    return { items: items.map((c) => c.recipe), totalCount };
  }

  async listDomains(scope: Scope, gameServiceId: string, includeDeprecated: boolean) {
    if (!scope.allows(gameServiceId)) return [];
    return this.d.repo.listDomains(gameServiceId, includeDeprecated);
  }

  async update(scope: Scope, input: UpdateRecipeInput): Promise<RecipeInfo> {
    if (input.ruleset) {
      const current = await this.find(scope, { recipeId: input.recipeId });
      if (current) await this.assertRulesetExists(current.recipe.gameServiceId, input.ruleset);
    }
    return this.mutate(scope, input.recipeId, (current) => {
      const patch: Record<string, unknown> = { ...input };
      for (const field of IMMUTABLE_FIELDS) delete patch[field];
      const merged = { ...definitionOf(current.recipe), ...patch } as RecipeDefinition;
      this.assertValid(merged);
      const changedFields = Object.keys(patch).filter(
        (k) => JSON.stringify((current.recipe as Record<string, unknown>)[k] ?? null) !== JSON.stringify(patch[k] ?? null),
      );
      if (changedFields.length === 0) return null;
      return { definition: merged, event: 'updated', changedFields };
    });
  }

  async deprecate(scope: Scope, recipeId: string, reason: string | null | undefined): Promise<RecipeInfo> {
    return this.mutate(scope, recipeId, (current) => {
      if (current.recipe.isDeprecated) return null; // idempotent: the first reason is kept
      return {
        definition: definitionOf(current.recipe),
        event: 'deprecated',
        deprecation: { at: this.d.clock.now().toISOString(), reason: reason ?? null },
      };
    });
  }

  async seed(scope: Scope, gameServiceId: string, items: SeedRecipeItem[], rulesets: RulesetDefinitionInput[] = []) {
    await requireActiveGameService(this.d.gameServices, scope, gameServiceId);
    this.assertSeedRulesets(rulesets);
    const seededRulesets = await this.d.rulesets.seedVersions(gameServiceId, rulesets);
    const invalid: { index: number; code: string; errors: RecipeProblem[] }[] = [];
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const errors = validateRecipe(item, this.d.settings);
      if (item.gameServiceId && item.gameServiceId !== gameServiceId) {
        errors.push({ path: 'gameServiceId', code: 'GAME_SERVICE_MISMATCH', message: 'differs from the seed request gameServiceId' });
      }
      const first = seen.get(item.code);
      if (first !== undefined) {
        errors.push({ path: 'code', code: 'CODE_DUPLICATE_IN_SEED', message: `code also used by recipe #${first}` });
      } else seen.set(item.code, index);
      if (errors.length > 0) invalid.push({ index, code: item.code, errors });
    });
    await Promise.all(
      items.map(async (item, index) => {
        if (!item.ruleset) return;
        const problem = await this.rulesetProblem(gameServiceId, item.ruleset, seededRulesets);
        if (!problem) return;
        const entry = invalid.find((i) => i.index === index);
        if (entry) entry.errors.push(problem);
        else invalid.push({ index, code: item.code, errors: [problem] });
      }),
    );
    invalid.sort((x, y) => x.index - y.index);
    if (invalid.length > 0) {
      throw new CraftError('RECIPE_SEED_INVALID', `${invalid.length} of ${items.length} recipes are invalid; nothing was written`, {
        invalid,
      });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.seedOnce(gameServiceId, items, rulesets);
      } catch (err) {
        // A concurrent seed inserted one of our codes: the next attempt skips it.
        if (!(err instanceof CraftError && err.code === 'RECIPE_CODE_EXISTS') || attempt >= VERSION_RETRIES) throw err;
      }
    }
  }

  /** Only the scope's game services are cleaned (all of them, or the one named). */
  async cleanDeprecated(scope: Scope, input: { gameServiceId?: string | null; gracePeriodDays: number; dryRun: boolean }) {
    const cutoff = this.d.clock.now().getTime() - input.gracePeriodDays * 86_400_000;
    const deprecated = await this.d.repo.findDeprecated(scope.narrow(input.gameServiceId));
    const old = deprecated.filter((c) => c.recipe.deprecatedAt && Date.parse(c.recipe.deprecatedAt) <= cutoff);
    const busy = await this.d.repo.inUse(old.map((c) => c.recipe.recipeId));
    const eligible = old.filter((c) => !busy.has(c.recipe.recipeId));
    if (input.dryRun) {
      return {
        cleaned: eligible.length,
        remaining: deprecated.length - eligible.length,
        errors: 0,
        cleanedIds: eligible.map((c) => c.recipe.recipeId),
      };
    }
    const cleanedIds: string[] = [];
    let errors = 0;
    for (const c of eligible) {
      try {
        const deleted = await this.d.uow.run(async (tx) => {
          if (!(await this.d.repo.deleteIfIdle(tx, c.recipe.recipeId))) return false;
          await this.d.outbox.add(tx, [recipeEvent('deleted', c.recipe, this.d.ids.uuid(), this.d.clock.now())]);
          return true;
        });
        if (deleted) {
          cleanedIds.push(c.recipe.recipeId);
          await this.d.cache.deleted(c);
        }
      } catch (err) {
        errors++;
        this.d.log.error({ err, recipeId: c.recipe.recipeId }, 'cleaning a deprecated recipe failed');
      }
    }
    if (cleanedIds.length > 0) this.d.outbox.kick();
    return { cleaned: cleanedIds.length, remaining: deprecated.length - cleanedIds.length, errors, cleanedIds };
  }

  private async seedOnce(gameServiceId: string, items: SeedRecipeItem[], rulesets: RulesetDefinitionInput[]) {
    const now = this.d.clock.now();
    const created: CachedRecipe[] = [];
    const skipped: string[] = [];
    let seededRulesets: Awaited<ReturnType<RecipeServiceDeps['rulesets']['seedInTx']>> = [];
    await this.d.uow.run(async (tx) => {
      created.length = 0;
      skipped.length = 0;
      // Rulesets first, in the same transaction: a recipe never names a ruleset that is not there.
      seededRulesets = rulesets.length > 0 ? await this.d.rulesets.seedInTx(tx, gameServiceId, rulesets) : [];
      const count = await this.d.repo.countForInsert(tx, gameServiceId);
      const existing = await this.d.repo.existingCodes(tx, gameServiceId, items.map((i) => i.code));
      for (const item of items) {
        if (existing.has(item.code)) skipped.push(item.code);
        else created.push(this.newRecord({ ...item, gameServiceId }, now));
      }
      if (created.length === 0) return;
      this.assertWithinLimit(count + created.length);
      await this.d.repo.insert(tx, created);
      await this.d.outbox.add(
        tx,
        created.map((c) => recipeEvent('created', c.recipe, this.d.ids.uuid(), now)),
      );
    });
    if (created.length > 0) this.d.outbox.kick();
    for (const c of created) await this.d.cache.changed(c);
    await this.registerDomains(gameServiceId, created.map((c) => c.recipe));
    return {
      createdCount: created.length,
      skippedCount: skipped.length,
      created: created.map((c) => ({ code: c.recipe.code, recipeId: c.recipe.recipeId })),
      skipped,
      ...(rulesets.length > 0 && { rulesets: seededRulesets }),
    };
  }

  /**
   * Read-modify-write under the recipe lock, guarded by the row version: the lock
   * avoids wasted work, the version makes a lost lock harmless (we re-read and retry).
   */
  private async mutate(
    scope: Scope,
    recipeId: string,
    change: (current: CachedRecipe) => {
      definition: RecipeDefinition;
      event: 'updated' | 'deprecated';
      changedFields?: string[];
      deprecation?: { at: string; reason: string | null };
    } | null,
  ): Promise<RecipeInfo> {
    const lock = await this.d.locks.acquire(`recipe:${recipeId}`);
    if (!lock) throw new CraftError('RECIPE_LOCKED', 'the recipe is being changed by another request; retry');
    try {
      for (let attempt = 1; ; attempt++) {
        const current = await this.d.repo.findById(recipeId);
        if (!current || !scope.allows(current.recipe.gameServiceId)) throw new CraftError('RECIPE_NOT_FOUND', 'no such recipe', { recipeId });
        const next = change(current);
        if (!next) return current.recipe;
        const now = this.d.clock.now();
        const updated: CachedRecipe = {
          version: current.version + 1,
          recipe: {
            ...next.definition,
            recipeId,
            isDeprecated: current.recipe.isDeprecated || !!next.deprecation,
            deprecatedAt: next.deprecation?.at ?? current.recipe.deprecatedAt ?? null,
            deprecationReason: next.deprecation ? next.deprecation.reason : (current.recipe.deprecationReason ?? null),
            createdAt: current.recipe.createdAt,
            updatedAt: now.toISOString(),
          },
        };
        const written = await this.d.uow.run(async (tx) => {
          if (!(await this.d.repo.update(tx, updated, current.version))) return false;
          const event = recipeEvent(next.event, updated.recipe, this.d.ids.uuid(), now, {
            ...(next.changedFields && { changedFields: next.changedFields }),
          });
          await this.d.outbox.add(tx, [event]);
          return true;
        });
        if (written) {
          this.d.outbox.kick();
          await this.d.cache.changed(updated, current.recipe.domain);
          if (next.event === 'updated') await this.registerDomains(updated.recipe.gameServiceId, [updated.recipe]);
          return updated.recipe;
        }
        this.d.metrics?.versionConflict('recipe');
        if (attempt >= VERSION_RETRIES) {
          throw new CraftError('RECIPE_VERSION_CONFLICT', 'the recipe changed concurrently; retry');
        }
      }
    } finally {
      await lock.release();
    }
  }

  private async registerDomains(gameServiceId: string, recipes: RecipeInfo[]) {
    if (!this.d.registerDomains || recipes.length === 0) return;
    const domains = [...new Set(recipes.flatMap(domainsOf))];
    try {
      await this.d.registerDomains(gameServiceId, domains);
    } catch (err) {
      this.d.log.warn({ err, gameServiceId, domains }, 'registering proficiency domains failed; they are registered on first use');
    }
  }

  private newRecord(input: CreateRecipeInput, now: Date): CachedRecipe {
    const at = now.toISOString();
    return {
      version: 1,
      recipe: {
        ...input,
        recipeId: this.d.ids.uuid(),
        isDeprecated: false,
        deprecatedAt: null,
        deprecationReason: null,
        createdAt: at,
        updatedAt: at,
      } as RecipeInfo,
    };
  }

  private assertValid(recipe: Parameters<typeof validateRecipe>[0]) {
    const errors = validateRecipe(recipe, this.d.settings);
    if (errors.length > 0) {
      throw new CraftError('RECIPE_INVALID', `the recipe is invalid: ${errors.map((e) => e.message).join('; ')}`, {
        errors,
      });
    }
  }

  /** A recipe's ruleset must exist in its game service (the version too, when pinned). */
  private async assertRulesetExists(gameServiceId: string, ref: { code: string; version?: number | null } | null) {
    if (!ref) return;
    const problem = await this.rulesetProblem(gameServiceId, ref, new Map());
    if (problem) throw new CraftError('RECIPE_INVALID', `the recipe is invalid: ${problem.message}`, { errors: [problem] });
  }

  /** `seeded`: the version each ruleset of the same seed will have (a recipe may name it, or pin it). */
  private async rulesetProblem(gameServiceId: string, ref: { code: string; version?: number | null }, seeded: Map<string, number>): Promise<RecipeProblem | null> {
    const seededVersion = seeded.get(ref.code);
    if (seededVersion !== undefined && (ref.version == null || ref.version === seededVersion)) return null;
    if (await this.d.rulesets.find(gameServiceId, ref.code, ref.version ?? null)) return null;
    const what = ref.version == null ? `ruleset "${ref.code}"` : `version ${ref.version} of ruleset "${ref.code}"`;
    return { path: ref.version == null ? 'ruleset.code' : 'ruleset.version', code: 'RULESET_NOT_FOUND', message: `${what} does not exist in the game service` };
  }

  /** Every problem of every ruleset of a seed, each path from the request's root (`/rulesets/<i>/...`). */
  private assertSeedRulesets(rulesets: RulesetDefinitionInput[]) {
    const errors = rulesets.flatMap((r, i) => this.d.rulesets.problems(r).map((p) => ({ ...p, path: `/rulesets/${i}${p.path}` })));
    const codes = rulesets.map((r) => r.code);
    codes.forEach((c, i) => {
      if (codes.indexOf(c) !== i) errors.push({ path: `/rulesets/${i}/code`, code: 'CODE_DUPLICATE_IN_SEED', message: `ruleset code "${c}" appears twice` });
    });
    if (errors.length > 0) {
      throw new CraftError('RULESET_INVALID', `rulesets of the seed are invalid: ${errors.slice(0, 5).map((e) => `${e.path} ${e.message}`).join('; ')}; nothing was written`, { errors });
    }
  }

  private assertWithinLimit(total: number) {
    const max = this.d.settings.maxRecipesPerGameService;
    if (total > max) {
      throw new CraftError('RECIPE_LIMIT_REACHED', `a game service may hold at most ${max} recipes`, { max });
    }
  }

}

/** Every proficiency domain a recipe names: its own, its requirements', its experience grants'. */
function domainsOf(recipe: RecipeInfo): string[] {
  return [
    recipe.domain,
    ...(recipe.proficiencyRequirements ?? []).map((r) => r.domain),
    ...(recipe.experienceGrants ?? []).map((g) => g.domain),
  ];
}

function definitionOf(recipe: RecipeInfo): RecipeDefinition {
  const { recipeId, isDeprecated, deprecatedAt, deprecationReason, createdAt, updatedAt, ...definition } = recipe;
  void recipeId;
  void isDeprecated;
  void deprecatedAt;
  void deprecationReason;
  void createdAt;
  void updatedAt;
  return definition;
}
