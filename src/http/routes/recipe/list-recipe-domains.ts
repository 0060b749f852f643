import type { Route } from '../../route-types.js';

export const listRecipeDomains: Route<'listRecipeDomains'> = ({ recipes }) => async (body) => ({
  domains: await recipes.listDomains(body.gameServiceId, body.includeDeprecated ?? false),
});
