import type { Route } from '../../route-types.js';

export const getInventory: Route<'getInventory'> = ({ standalone }) => (body) => standalone.getInventory(body.containerId);
