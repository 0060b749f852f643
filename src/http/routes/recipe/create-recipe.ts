import type { Route } from '../../route-types.js';

export const createRecipe: Route<'createRecipe'> = ({ recipes }) => (body) => recipes.create(body);
