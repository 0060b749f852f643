import type { Tx } from '../ports.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { AttemptDocument, AttemptScope, DiscoveryAttemptRecord, LearnedRecipe, Learner } from './discovery-model.js';

/** Every database call of discovery. Methods taking `tx` run inside the caller's transaction. */
export interface DiscoveryRepository {
  findRecipe(recipeId: string): Promise<RecipeInfo | null>;
  /** Discoverable, non-deprecated recipes of a game service. */
  findDiscoverable(gameServiceId: string): Promise<RecipeInfo[]>;
  /** Non-discoverable, non-deprecated recipes that name prerequisites (what a learned recipe can unlock). */
  findUnlockCandidates(gameServiceId: string): Promise<RecipeInfo[]>;
  /** Default-known recipes of a game service (deprecated ones too: knowing is a fact). */
  findDefaultKnown(gameServiceId: string): Promise<{ recipeId: string; code: string }[]>;
  /** Non-deprecated recipes of the game service that are default-known or among `ids`, in one query. */
  findListable(gameServiceId: string, ids: string[]): Promise<RecipeInfo[]>;
  learned(who: Learner): Promise<LearnedRecipe[]>;
  /** Inserts the row unless the entity already knows the recipe; true when it was inserted. */
  insertLearned(tx: Tx, who: Learner, recipe: LearnedRecipe, at: Date): Promise<boolean>;
  insertAttempt(tx: Tx, attempt: DiscoveryAttemptRecord): Promise<void>;
  findAttempt(id: string): Promise<DiscoveryAttemptRecord | null>;
  /** Stores the finished document if the attempt is still pending; false when it was not. */
  markDone(id: string, doc: AttemptDocument): Promise<boolean>;
  /** Ids of pending attempts recorded before `olderThan`, oldest first. */
  findPending(scope: AttemptScope, olderThan: Date, limit: number): Promise<string[]>;
}
