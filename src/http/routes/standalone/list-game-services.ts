import type { Route } from '../../route-types.js';

export const listGameServices: Route<'listGameServices'> = ({ gameServiceAdmin }) => async (_body, { scope }) => ({
  gameServices: await gameServiceAdmin.list(scope),
});
