import type { Route } from '../../route-types.js';

export const updateRecipe: Route<'updateRecipe'> = ({ recipes }) => async (body) => ({
  recipe: await recipes.update(body),
});
