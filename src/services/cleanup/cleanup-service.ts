import type { components } from '../../generated/craft-api.js';
import { CraftError } from '../../domain/errors.js';
import type { Clock, IdGenerator, Logger, Outbox, UnitOfWork } from '../ports.js';
import type { RecipeCache } from '../recipes/recipe-cache.js';
import { recipeEvent } from '../recipes/recipe-events.js';
import type { CleanupRepository, EntityScope, LiveSession, RecordScope } from './cleanup-repository.js';
import type { Scope } from '../scope.js';

export type CleanupResult = components['schemas']['CleanupResponse'];

export interface CleanupServiceDeps {
  repo: CleanupRepository;
  /** SessionService.terminate: ends a live session, returning its materials; the session as it ends up. */
  terminateSession(sessionId: string, reason: string): Promise<{ status: string } | null>;
  /** DiscoveryService.finishPending: applies the consumption plans of pending attempts now. */
  finishDiscoveryAttempts(scope: RecordScope): Promise<{ failed: number }>;
  cache: RecipeCache;
  uow: UnitOfWork;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
}

const RECIPE_BATCH = 200;
const ENDED = new Set(['cancelled', 'failed']);
/** Sessions a cleanup counts when it ends them (a `cancelling` one may be a retry of an earlier cleanup). */
const CANCELLABLE = new Set(['starting', 'active', 'paused', 'cancelling']);

/**
 * Cascade cleanups called when a game service, an entity or a location is deleted.
 * Live sessions are terminated first (materials back to their owners) and pending
 * discovery attempts finished; if one cannot be (a dependency is down) nothing is
 * deleted and the call answers 503, so a retry finishes the job. Idempotent: a second
 * call finds nothing and answers zero counts. Rules: ./README.md.
 */
export class CleanupService {
  constructor(private readonly d: CleanupServiceDeps) {}

  /** A game service outside the scope is one that does not exist: nothing to clean (zero counts). */
  async byGameService(scope: Scope, input: { gameServiceId: string }): Promise<CleanupResult> {
    const reason = 'game service deleted';
    const { gameServiceId } = input;
    if (!scope.allows(gameServiceId)) return ZERO;
    const only = { gameServiceIds: [gameServiceId] };
    const sessionsCancelled = await this.terminateAll(await this.d.repo.liveSessions(only), reason);
    await this.finishAttempts(only);
    const stations = await this.d.repo.stationIds(only);

    const knownRecipesDeleted = await this.d.uow.run((tx) => this.d.repo.deleteKnownRecipes(tx, only));
    let recipesDeleted = 0;
    for (;;) {
      const now = this.d.clock.now();
      const deleted = await this.d.uow.run(async (tx) => {
        const batch = await this.d.repo.deleteRecipeBatch(tx, gameServiceId, RECIPE_BATCH);
        await this.d.outbox.add(
          tx,
          batch.map((c) => recipeEvent('deleted', c.recipe, this.d.ids.uuid(), now, { deletedReason: reason })),
        );
        return batch;
      });
      if (deleted.length > 0) this.d.outbox.kick();
      for (const c of deleted) await this.d.cache.deleted(c);
      recipesDeleted += deleted.length;
      if (deleted.length < RECIPE_BATCH) break;
    }
    const rest = await this.d.uow.run(async (tx) => ({
      stations: await this.d.repo.deleteStations(tx, stations),
      ...(await this.d.repo.deleteRecords(tx, only)),
    }));
    return {
      sessionsCancelled,
      recipesDeleted,
      stationsRemoved: rest.stations,
      proficienciesDeleted: rest.proficiencies,
      knownRecipesDeleted,
    };
  }

  /**
   * The entity's data in the game service named, or (none named) in every game service of
   * the caller's scope; only an unrestricted caller's cleanup also drops the entity's guard row.
   */
  async byEntity(caller: Scope, input: { entityId: string; entityType: string; gameServiceId?: string | null }): Promise<CleanupResult> {
    const reason = 'entity deleted';
    const gameServiceIds = caller.narrow(input.gameServiceId);
    if (gameServiceIds && gameServiceIds.length === 0) return ZERO;
    const scope: EntityScope = { entityId: input.entityId, entityType: input.entityType, gameServiceIds };
    const owned = await this.d.repo.stationIds({ ownerId: scope.entityId, ownerType: scope.entityType, gameServiceIds });
    const live = dedupe([
      ...(await this.d.repo.liveSessions(scope)),
      ...(await this.d.repo.liveSessions({ stationIds: owned, gameServiceIds })),
    ]);
    const sessionsCancelled = await this.terminateAll(live, reason);
    await this.finishAttempts(scope);
    const counts = await this.d.uow.run(async (tx) => {
      const knownRecipes = await this.d.repo.deleteKnownRecipes(tx, scope);
      const { proficiencies } = await this.d.repo.deleteRecords(tx, scope);
      const stations = await this.d.repo.deleteStations(tx, owned);
      if (!gameServiceIds) await this.d.repo.deleteEntityGuard(tx, scope.entityId, scope.entityType);
      return { knownRecipes, proficiencies, stations };
    });
    return {
      sessionsCancelled,
      recipesDeleted: 0,
      stationsRemoved: counts.stations,
      proficienciesDeleted: counts.proficiencies,
      knownRecipesDeleted: counts.knownRecipes,
    };
  }

  /** The stations at the location in the caller's game services, and the sessions running at them. */
  async byLocation(caller: Scope, input: { locationId: string }): Promise<CleanupResult> {
    const gameServiceIds = caller.gameServiceIds;
    const stations = await this.d.repo.stationIds({ locationId: input.locationId, gameServiceIds });
    const sessionsCancelled = await this.terminateAll(await this.d.repo.liveSessions({ stationIds: stations, gameServiceIds }), 'location deleted');
    const stationsRemoved = await this.d.uow.run((tx) => this.d.repo.deleteStations(tx, stations));
    return { sessionsCancelled, recipesDeleted: 0, stationsRemoved, proficienciesDeleted: 0, knownRecipesDeleted: 0 };
  }

  /**
   * Terminates each live session; counts those this call brought from starting, active or
   * cancelling to cancelled/failed (a completing session finishes instead and is not counted). Throws DEPENDENCY_UNAVAILABLE (after trying them all) when one is still live.
   */
  private async terminateAll(sessions: LiveSession[], reason: string): Promise<number> {
    let cancelled = 0;
    const stuck: string[] = [];
    for (const s of sessions) {
      try {
        const after = await this.d.terminateSession(s.id, reason);
        if (after && !ENDED.has(after.status) && after.status !== 'completed') stuck.push(s.id);
        else if (after && ENDED.has(after.status) && CANCELLABLE.has(s.status)) cancelled++;
      } catch (err) {
        this.d.log.warn({ err, sessionId: s.id }, 'cleanup could not end a session yet');
        stuck.push(s.id);
      }
    }
    if (stuck.length > 0) {
      throw new CraftError('DEPENDENCY_UNAVAILABLE', 'some sessions could not be ended yet (their materials are safe); retry the cleanup', {
        sessionIds: stuck,
      });
    }
    return cancelled;
  }

  private async finishAttempts(scope: RecordScope) {
    const { failed } = await this.d.finishDiscoveryAttempts(scope);
    if (failed > 0) {
      throw new CraftError('DEPENDENCY_UNAVAILABLE', 'some discovery attempts could not finish consuming their materials yet; retry the cleanup', {
        pendingAttempts: failed,
      });
    }
  }
}

const ZERO: CleanupResult = { sessionsCancelled: 0, recipesDeleted: 0, stationsRemoved: 0, proficienciesDeleted: 0, knownRecipesDeleted: 0 };

function dedupe(sessions: LiveSession[]): LiveSession[] {
  return [...new Map(sessions.map((s) => [s.id, s])).values()];
}
