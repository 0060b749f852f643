import type { Route } from '../../route-types.js';

export const deprecateRecipe: Route<'deprecateRecipe'> = ({ recipes }) => async (body) => ({
  recipe: await recipes.deprecate(body.recipeId, body.reason),
});
