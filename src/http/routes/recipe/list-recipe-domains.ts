import type { Route } from '../../route-types.js';

export const listRecipeDomains: Route<'listRecipeDomains'> = ({ recipes }) => async (body, { scope }) => ({
  domains: await recipes.listDomains(scope, body.gameServiceId, body.includeDeprecated ?? false),
});
