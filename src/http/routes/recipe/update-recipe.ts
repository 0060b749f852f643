import type { Route } from '../../route-types.js';

export const updateRecipe: Route<'updateRecipe'> = ({ recipes }) => async (body, { scope }) => ({
  recipe: await recipes.update(scope, body),
});
