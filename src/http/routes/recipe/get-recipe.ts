import type { Route } from '../../route-types.js';

export const getRecipe: Route<'getRecipe'> = ({ recipes }) => async (body) => ({ recipe: await recipes.get(body) });
