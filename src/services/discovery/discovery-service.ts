import { createHash } from 'node:crypto';
import { ClientError } from '../../clients/errors.js';
import type { GameServiceClient } from '../../clients/game-service-client.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient, ItemInstance } from '../../clients/item-client.js';
import { planConsumption, type PlannedConsumption } from '../../domain/discovery/consumption.js';
import { canonicalCodes, combinationKey, matchAttempt, prerequisiteUnlocks, type KnownSet } from '../../domain/discovery/matching.js';
import { CraftError } from '../../domain/errors.js';
import { rngFor } from '../../domain/rng.js';
import type { Clock, IdGenerator, Logger, Outbox, OutboxEventInput, Tx, UnitOfWork } from '../ports.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { StationView } from '../sessions/session-ports.js';
import { recipeLearnedEvent } from './discovery-events.js';
import type {
  AttemptDiscoveryInput,
  AttemptDiscoveryResult,
  AttemptDocument,
  AttemptScope,
  DiscoveryAttemptRecord,
  KnownRecipeInfo,
  KnownRecipeSource,
  Learner,
  ListKnownInput,
  TeachRecipeInput,
  TeachRecipeResult,
} from './discovery-model.js';
import type { DiscoveryRepository } from './discovery-repository.js';
import type { Scope } from '../scope.js';
import { requireActiveGameService } from '../game-service-access.js';

export interface DiscoveryServiceDeps {
  repo: DiscoveryRepository;
  item: ItemClient;
  inventory: InventoryClient;
  gameServices: GameServiceClient;
  /** Null when no such station exists in the game service. */
  findStation(stationId: string, gameServiceId: string): Promise<StationView | null>;
  /**
   * The session start checks, read-only (CraftAssessor, the entity's first inventory): one
   * answer per recipe, in order, the entity's state loaded once.
   */
  canCraftNow(who: Learner, recipes: RecipeInfo[]): Promise<boolean[]>;
  uow: UnitOfWork;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  settings: {
    /** CRAFT_DISCOVERY_MATERIAL_CONSUMPTION_RATE. */
    consumptionRate: number;
    /** A pending attempt untouched this long is finished by recoverPending (its request died). */
    recoveryStaleMs: number;
  };
}

/** RNG stream of an attempt's consumption order (seed = the attempt id). */
const CONSUMPTION_STREAM = 'discovery:consumption';
const SOURCES: ReadonlySet<string> = new Set(['default', 'taught', 'discovered', 'prerequisite']);

/**
 * Known recipes per entity, and how new ones are learned: experimentation (attempt),
 * teaching, and prerequisite unlocks. The rules are in ./README.md.
 */
export class DiscoveryService {
  constructor(private readonly d: DiscoveryServiceDeps) {}

  /**
   * Experiments with materials. Validation first (nothing moves on a rejection); then the
   * attempt row (with its consumption plan, `pending`), the learned recipe and its events
   * commit together; then the plan is applied with keys derived from the attempt id. If
   * an item service call fails midway the answer is still the committed outcome, and
   * `recoverPending` applies the rest of the same plan later.
   */
  async attempt(scope: Scope, input: AttemptDiscoveryInput): Promise<AttemptDiscoveryResult> {
    await requireActiveGameService(this.d.gameServices, scope, input.gameServiceId);
    const offered = await this.offeredMaterials(input);
    const stationType = await this.stationTypeOf(input);
    const who: Learner = { gameServiceId: input.gameServiceId, entityId: input.entityId, entityType: input.entityType };
    const [discoverable, known] = await Promise.all([this.d.repo.findDiscoverable(input.gameServiceId), this.knownSet(who)]);
    const codes = canonicalCodes(offered.map((i) => i.templateCode));
    const match = matchAttempt(discoverable, codes, known, stationType);
    const candidates = match.recipe ? await this.d.repo.findUnlockCandidates(input.gameServiceId) : [];

    const id = this.d.ids.uuid();
    const now = this.d.clock.now();
    const materials = offered.map((i) => ({ instanceId: i.instanceId, itemTemplateCode: i.templateCode, quantity: i.quantity }));
    const plan = planConsumption(materials, this.d.settings.consumptionRate, rngFor(id, CONSUMPTION_STREAM));
    const record: DiscoveryAttemptRecord = {
      id,
      ...who,
      combinationHash: createHash('sha256').update(combinationKey(codes, stationType)).digest('hex'),
      stationType,
      success: !!match.recipe,
      recipeId: match.recipe?.recipeId ?? null,
      hintProgression: match.hintProgression,
      createdAt: now,
      doc: { status: plan.length > 0 ? 'pending' : 'done', codes, inventoryId: input.inventoryId, offered: materials, plan, skipped: [] },
    };
    await this.d.uow.run(async (tx) => {
      await this.d.repo.insertAttempt(tx, record);
      if (match.recipe) {
        const learned = await this.learnInTx(tx, who, match.recipe, 'discovered', known, candidates, now);
        await this.d.outbox.add(tx, learned.events);
      }
    });
    this.d.outbox.kick();

    let consumed: PlannedConsumption[] = plan;
    if (plan.length > 0) {
      try {
        const done = await this.finish(id);
        if (done?.doc.status === 'done') consumed = done.doc.plan.filter((_, i) => !done.doc.skipped.includes(i));
      } catch (err) {
        // The outcome is committed; the same plan is applied by recoverPending.
        this.d.log.warn({ err, attemptId: id }, 'discovery consumption deferred to recovery');
      }
    }
    return {
      discovered: !!match.recipe,
      recipeId: match.recipe?.recipeId ?? null,
      recipeCode: match.recipe?.code ?? null,
      hintProgression: match.recipe ? null : match.hintProgression,
      consumedMaterials: consumed.map((c) => ({ instanceId: c.instanceId, itemTemplateCode: c.itemTemplateCode, quantity: c.quantity })),
    };
  }

  /** Teaches a recipe (trainers, scrolls, quest rewards). Idempotent: a second call changes nothing. */
  async teach(scope: Scope, input: TeachRecipeInput): Promise<TeachRecipeResult> {
    const recipe = scope.allows(input.gameServiceId) ? await this.d.repo.findRecipe(input.recipeId) : null;
    if (!recipe || recipe.gameServiceId !== input.gameServiceId) {
      throw new CraftError('RECIPE_NOT_FOUND', 'no such recipe in this game service', { recipeId: input.recipeId });
    }
    if (recipe.isDeprecated) throw new CraftError('RECIPE_DEPRECATED', 'the recipe is deprecated; it can no longer be taught');
    if (recipe.isDefaultKnown) return { recipeId: recipe.recipeId, alreadyKnown: true };
    const who: Learner = { gameServiceId: input.gameServiceId, entityId: input.entityId, entityType: input.entityType };
    const known = await this.knownSet(who);
    if (known.ids.has(recipe.recipeId)) return { recipeId: recipe.recipeId, alreadyKnown: true };
    const candidates = await this.d.repo.findUnlockCandidates(input.gameServiceId);
    const now = this.d.clock.now();
    const learned = await this.d.uow.run(async (tx) => {
      const result = await this.learnInTx(tx, who, recipe, 'taught', known, candidates, now);
      await this.d.outbox.add(tx, result.events);
      return result.learned;
    });
    if (learned) this.d.outbox.kick();
    return { recipeId: recipe.recipeId, alreadyKnown: !learned };
  }

  /** Default-known and learned recipes (not deprecated), by code, with canCraftNow from the session checks. */
  async listKnown(scope: Scope, input: ListKnownInput): Promise<{ recipes: KnownRecipeInfo[] }> {
    if (!scope.allows(input.gameServiceId)) return { recipes: [] };
    const who: Learner = { gameServiceId: input.gameServiceId, entityId: input.entityId, entityType: input.entityType };
    const learned = await this.d.repo.learned(who);
    const sourceOf = new Map(learned.map((l) => [l.recipeId, l.source]));
    const recipes = (await this.d.repo.findListable(input.gameServiceId, [...sourceOf.keys()])).sort((a, b) =>
      a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
    );
    const canCraft = recipes.length > 0 ? await this.d.canCraftNow(who, recipes) : [];
    return {
      recipes: recipes.map((r, i) => ({
        recipeCode: r.code,
        recipeId: r.recipeId,
        domain: r.domain,
        recipeType: r.recipeType,
        source: r.isDefaultKnown ? 'default' : toSource(sourceOf.get(r.recipeId)),
        canCraftNow: canCraft[i]!,
      })),
    };
  }

  /**
   * Applies the rest of the consumption plan of attempts left pending (a failed item
   * service call, a crash) for longer than the stale period. Safe on any number of
   * instances at once: every call is keyed by the attempt and plan entry.
   */
  async recoverPending(opts: { olderThan?: Date; limit?: number } = {}): Promise<{ recovered: number; failed: number }> {
    const olderThan = opts.olderThan ?? new Date(this.d.clock.now().getTime() - this.d.settings.recoveryStaleMs);
    return this.finishAll(await this.d.repo.findPending({}, olderThan, opts.limit ?? 50));
  }

  /** Finishes every pending attempt of a game service or entity now (cleanup); `failed` > 0 when some could not be. */
  async finishPending(scope: AttemptScope): Promise<{ recovered: number; failed: number }> {
    const ids = await this.d.repo.findPending(scope, new Date(this.d.clock.now().getTime() + 60_000), 10_000);
    return this.finishAll(ids);
  }

  private async finishAll(ids: string[]) {
    let recovered = 0;
    let failed = 0;
    for (const id of ids) {
      try {
        await this.finish(id);
        recovered++;
      } catch (err) {
        failed++;
        this.d.log.warn({ err, attemptId: id }, 'discovery consumption will be retried');
      }
    }
    return { recovered, failed };
  }

  /**
   * Applies an attempt's plan: each entry is split off the inventory stack into the
   * attempt's escrow (`inventory.transfer`, which checks the item is still there) and
   * destroyed as Consumed. Keys: `craft:discovery:<attempt>:escrow|take:<i>|consume:<i>`,
   * so a re-run replays what was done and does the rest. An entry whose instance left
   * the inventory (or shrank below the planned quantity) is skipped: nothing is taken.
   */
  private async finish(attemptId: string): Promise<DiscoveryAttemptRecord | null> {
    const a = await this.d.repo.findAttempt(attemptId);
    if (!a || a.doc.status === 'done') return a;
    const key = (...parts: (string | number)[]) => `craft:discovery:${a.id}:${parts.join(':')}`;
    const skipped: number[] = [];
    if (a.doc.plan.length > 0) {
      const escrow = await this.d.inventory.createContainer(
        { ownerId: a.id, ownerType: 'craft-discovery', containerType: 'escrow', gameServiceId: a.gameServiceId },
        key('escrow'),
      );
      for (const [i, p] of a.doc.plan.entries()) {
        let taken: string;
        try {
          const moved = await this.d.inventory.transfer(
            {
              instanceId: p.instanceId,
              sourceContainerId: a.doc.inventoryId,
              targetContainerId: escrow.containerId,
              gameServiceId: a.gameServiceId,
              quantity: p.quantity,
            },
            key('take', i),
          );
          taken = moved.instanceId;
        } catch (err) {
          if (err instanceof ClientError && (err.kind === 'conflict' || err.kind === 'not_found')) {
            skipped.push(i);
            continue;
          }
          throw err;
        }
        try {
          await this.d.item.destroyInstance({ instanceId: taken, gameServiceId: a.gameServiceId, reason: 'Consumed' }, key('consume', i));
        } catch (err) {
          // Only this attempt puts items in its escrow: gone already means consumed.
          if (!(err instanceof ClientError && err.kind === 'not_found')) throw err;
        }
      }
    }
    const doc: AttemptDocument = { ...a.doc, status: 'done', skipped };
    if (!(await this.d.repo.markDone(a.id, doc))) return this.d.repo.findAttempt(a.id);
    return { ...a, doc };
  }

  /**
   * Records `recipe` as known (unless it already is) and, when it was new, every recipe it
   * unlocks through prerequisites (transitively), with one event per row written.
   */
  private async learnInTx(
    tx: Tx,
    who: Learner,
    recipe: RecipeInfo,
    source: 'discovered' | 'taught',
    known: KnownSet,
    candidates: RecipeInfo[],
    now: Date,
  ): Promise<{ learned: boolean; events: OutboxEventInput[] }> {
    const row = { recipeId: recipe.recipeId, recipeCode: recipe.code, source };
    if (!(await this.d.repo.insertLearned(tx, who, row, now))) return { learned: false, events: [] };
    const events = [recipeLearnedEvent(who, row, source, this.d.ids.uuid(), now)];
    const after: KnownSet = { ids: new Set([...known.ids, recipe.recipeId]), codes: new Set([...known.codes, recipe.code]) };
    for (const unlocked of prerequisiteUnlocks(candidates, after)) {
      const u = { recipeId: unlocked.recipeId, recipeCode: unlocked.code, source: 'prerequisite' as const };
      if (await this.d.repo.insertLearned(tx, who, u, now)) {
        events.push(recipeLearnedEvent(who, u, 'prerequisite', this.d.ids.uuid(), now));
      }
    }
    return { learned: true, events };
  }

  /** Learned recipes plus the game service's default-known ones. */
  private async knownSet(who: Learner): Promise<KnownSet> {
    const [learned, defaults] = await Promise.all([this.d.repo.learned(who), this.d.repo.findDefaultKnown(who.gameServiceId)]);
    return {
      ids: new Set([...learned.map((l) => l.recipeId), ...defaults.map((r) => r.recipeId)]),
      codes: new Set([...learned.map((l) => l.recipeCode), ...defaults.map((r) => r.code)]),
    };
  }

  /** The offered instances, each in the entity's own inventory and of the game service. */
  private async offeredMaterials(input: AttemptDiscoveryInput): Promise<ItemInstance[]> {
    const container = await this.d.inventory.getContainer(input.inventoryId, true, input.gameServiceId);
    if (!container || container.ownerId !== input.entityId || container.ownerType !== input.entityType) {
      throw new CraftError('INVENTORY_NOT_FOUND', 'no such inventory for this entity', { inventoryId: input.inventoryId });
    }
    const byId = new Map((container.contents ?? []).map((i) => [i.instanceId, i]));
    const missing = input.materialItemIds.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new CraftError('MATERIAL_NOT_IN_INVENTORY', 'some offered materials are not in the inventory', { missing });
    }
    const offered = input.materialItemIds.map((id) => byId.get(id)!);
    const foreign = offered.filter((i) => i.gameServiceId !== input.gameServiceId).map((i) => i.instanceId);
    if (foreign.length > 0) {
      throw new CraftError('VALIDATION_FAILED', 'some offered materials belong to another game service', { instanceIds: foreign });
    }
    return offered;
  }

  /** The station type the attempt is made at: the station's (which must be usable), else the one named. */
  private async stationTypeOf(input: AttemptDiscoveryInput): Promise<string | null> {
    if (!input.stationId) return input.stationType ?? null;
    const station = await this.d.findStation(input.stationId, input.gameServiceId);
    if (!station) {
      throw new CraftError('STATION_NOT_FOUND', 'no such station', { stationId: input.stationId });
    }
    if (!station.isActive) throw new CraftError('STATION_NOT_AVAILABLE', 'the station is deregistered', { stationId: input.stationId });
    if (input.stationType && input.stationType !== station.stationType) {
      throw new CraftError('STATION_NOT_AVAILABLE', `the station is a "${station.stationType}", not a "${input.stationType}"`, {
        stationId: input.stationId,
        stationType: station.stationType,
      });
    }
    return station.stationType;
  }

}

/** Stored sources outside the API's list (older or custom rows) read as `taught`. */
function toSource(stored: string | undefined): KnownRecipeSource {
  return stored && SOURCES.has(stored) ? (stored as KnownRecipeSource) : 'taught';
}

