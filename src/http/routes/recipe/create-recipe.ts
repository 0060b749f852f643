import type { Route } from '../../route-types.js';

export const createRecipe: Route<'createRecipe'> = ({ recipes }) => (body, { scope }) => recipes.create(scope, body);
