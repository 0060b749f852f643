import type { components } from '../../generated/craft-api.js';
import type { OfferedMaterial, PlannedConsumption } from '../../domain/discovery/consumption.js';

export type AttemptDiscoveryInput = components['schemas']['AttemptDiscoveryRequest'];
export type AttemptDiscoveryResult = components['schemas']['AttemptDiscoveryResponse'];
export type TeachRecipeInput = components['schemas']['TeachRecipeRequest'];
export type TeachRecipeResult = components['schemas']['TeachRecipeResponse'];
export type ListKnownInput = components['schemas']['ListKnownRecipesRequest'];
export type KnownRecipeInfo = components['schemas']['KnownRecipeInfo'];
export type KnownRecipeSource = components['schemas']['KnownRecipeSource'];

/** Who learns: an entity within a game service. */
export interface Learner {
  gameServiceId: string;
  entityId: string;
  entityType: string;
}

/** A learned-recipe row (teaching, discovery, prerequisite unlock). */
export interface LearnedRecipe {
  recipeId: string;
  recipeCode: string;
  source: string;
}

/**
 * What a DiscoveryAttempt row keeps in its `materialCodes` document. `status` comes first
 * in the JSON so pending attempts are found by prefix: `pending` from the moment the
 * attempt is recorded (before anything is consumed) until its whole plan has been applied.
 */
export interface AttemptDocument {
  status: 'pending' | 'done';
  /** Sorted distinct template codes offered (the combination). */
  codes: string[];
  inventoryId: string;
  offered: OfferedMaterial[];
  /** Decided before anything moves; recovery applies exactly this, never a new plan. */
  plan: PlannedConsumption[];
  /** Plan entries (indexes) whose instance had left the inventory or shrunk: nothing taken from them. */
  skipped: number[];
}

export interface DiscoveryAttemptRecord {
  id: string;
  gameServiceId: string;
  entityId: string;
  entityType: string;
  combinationHash: string;
  stationType: string | null;
  success: boolean;
  recipeId: string | null;
  hintProgression: number | null;
  createdAt: Date;
  doc: AttemptDocument;
}

/** Which pending attempts to look at (all, a game service's, or an entity's). */
export interface AttemptScope {
  /** Only these game services (null or absent = every one). */
  gameServiceIds?: string[] | null;
  entityId?: string | null;
  entityType?: string | null;
}
