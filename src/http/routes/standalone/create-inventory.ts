import type { Route } from '../../route-types.js';

export const createInventory: Route<'createInventory'> = ({ standalone }) => async (body) => ({
  container: await standalone.createInventory(body),
});
