import type { Tx } from '../ports.js';
import type { CachedRecipe } from '../recipes/recipe-cache.js';

/** A live session (starting, active, paused, completing or cancelling) and its status when read. */
export interface LiveSession {
  id: string;
  status: string;
}

/** `gameServiceIds`: only these game services (null or absent = every one; empty = none). */
export interface SessionFilter {
  gameServiceIds?: string[] | null;
  entityId?: string | null;
  entityType?: string | null;
  /** Sessions at one of these stations. */
  stationIds?: string[] | null;
}

export interface StationFilter {
  gameServiceIds?: string[] | null;
  locationId?: string | null;
  ownerId?: string | null;
  ownerType?: string | null;
}

/** Whose rows an entity cleanup deletes. */
export interface EntityScope {
  entityId: string;
  entityType: string;
  gameServiceIds?: string[] | null;
}

/** Whose rows a cleanup deletes: a game service's, or an entity's (in some or every game service). */
export type RecordScope = { gameServiceIds?: string[] | null; entityId?: string; entityType?: string };

/** Every database call of the cleanups. Methods taking `tx` run inside the caller's transaction. */
export interface CleanupRepository {
  liveSessions(filter: SessionFilter): Promise<LiveSession[]>;
  stationIds(filter: StationFilter): Promise<string[]>;
  /** Known-recipe rows of a game service or an entity; returns how many. */
  deleteKnownRecipes(tx: Tx, scope: RecordScope): Promise<number>;
  /** Deletes up to `limit` recipes of the game service (tags and known rows cascade); returns them as they were. */
  deleteRecipeBatch(tx: Tx, gameServiceId: string, limit: number): Promise<CachedRecipe[]>;
  deleteStations(tx: Tx, ids: string[]): Promise<number>;
  /**
   * Proficiencies, completions, finished discovery attempts and ended sessions (terminal,
   * no pending effects) of the scope; returns the proficiency count.
   */
  deleteRecords(tx: Tx, scope: RecordScope): Promise<{ proficiencies: number }>;
  /** The entity's session-start guard row (entity cleanup without a game service filter). */
  deleteEntityGuard(tx: Tx, entityId: string, entityType: string): Promise<void>;
}
