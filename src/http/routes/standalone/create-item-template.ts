import type { Route } from '../../route-types.js';

export const createItemTemplate: Route<'createItemTemplate'> = ({ standalone }) => async (body, { scope }) => ({
  template: await standalone.createItemTemplate(scope, body),
});
