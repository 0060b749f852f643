import type { Route } from '../../route-types.js';

export const cleanDeprecatedRecipes: Route<'cleanDeprecatedRecipes'> = ({ recipes }) => (body, { scope }) =>
  recipes.cleanDeprecated(scope, {
    gameServiceId: body.gameServiceId,
    gracePeriodDays: body.gracePeriodDays ?? 0,
    dryRun: body.dryRun ?? false,
  });
