import type { components } from '../../generated/craft-api.js';

export type RecipeInfo = components['schemas']['RecipeDefinitionInfo'];
/** A recipe as a session crafts it: scaled to its batch (src/domain/recipe/batch.ts) when `batch` is set. */
export type SessionRecipe = RecipeInfo & { batch?: number };
export type CreateRecipeInput = components['schemas']['CreateRecipeRequest'];
export type UpdateRecipeInput = components['schemas']['UpdateRecipeRequest'];
export type SeedRecipeItem = components['schemas']['SeedRecipeItem'];

/** Fields of a recipe that live in its definition document (everything a caller sets). */
export type RecipeDefinition = Omit<
  RecipeInfo,
  'recipeId' | 'isDeprecated' | 'deprecatedAt' | 'deprecationReason' | 'createdAt' | 'updatedAt'
>;

/** Identity fields an update may not change. */
export const IMMUTABLE_FIELDS = ['recipeId', 'code', 'gameServiceId', 'recipeType'] as const;

export interface RecipeListFilter {
  gameServiceId: string;
  recipeType?: string | null;
  domain?: string | null;
  category?: string | null;
  tags?: string[] | null;
  includeDeprecated: boolean;
  page: number;
  pageSize: number;
}

/** Recipes are listed by domain, then category, then code (stable paging). */
export function compareRecipes(a: RecipeInfo, b: RecipeInfo): number {
  return (
    a.domain.localeCompare(b.domain) ||
    (a.category ?? '').localeCompare(b.category ?? '') ||
    a.code.localeCompare(b.code)
  );
}
