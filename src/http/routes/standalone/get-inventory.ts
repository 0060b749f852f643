import type { Route } from '../../route-types.js';

export const getInventory: Route<'getInventory'> = ({ standalone }) => (body, { scope }) => standalone.getInventory(scope, body);
