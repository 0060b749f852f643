import type { Route } from '../../route-types.js';

export const createItemTemplate: Route<'createItemTemplate'> = ({ standalone }) => async (body) => ({
  template: await standalone.createItemTemplate(body),
});
