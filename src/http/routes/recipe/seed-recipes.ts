import type { Route } from '../../route-types.js';

export const seedRecipes: Route<'seedRecipes'> = ({ recipes }) => (body) =>
  recipes.seed(body.gameServiceId, body.recipes);
