import type { Route } from '../../route-types.js';

export const createInventory: Route<'createInventory'> = ({ standalone }) => async (body, { scope }) => ({
  container: await standalone.createInventory(scope, body),
});
