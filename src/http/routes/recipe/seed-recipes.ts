import type { Route } from '../../route-types.js';

export const seedRecipes: Route<'seedRecipes'> = ({ recipes }) => (body, { scope }) =>
  recipes.seed(scope, body.gameServiceId, body.recipes, body.rulesets ?? []);
