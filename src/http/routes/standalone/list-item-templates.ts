import type { Route } from '../../route-types.js';

export const listItemTemplates: Route<'listItemTemplates'> = ({ standalone }) => async (body, { scope }) => ({
  templates: await standalone.listItemTemplates(scope, body.gameServiceId),
});
