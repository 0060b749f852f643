import type { Route } from '../../route-types.js';

export const deprecateRecipe: Route<'deprecateRecipe'> = ({ recipes }) => async (body, { scope }) => ({
  recipe: await recipes.deprecate(scope, body.recipeId, body.reason),
});
