import type { Route } from '../../route-types.js';

export const getRecipe: Route<'getRecipe'> = ({ recipes }) => async (body, { scope }) => ({ recipe: await recipes.get(scope, body) });
