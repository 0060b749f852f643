import type { Route } from '../../route-types.js';

export const listItemTemplates: Route<'listItemTemplates'> = ({ standalone }) => async (body) => ({
  templates: await standalone.listItemTemplates(body.gameServiceId),
});
