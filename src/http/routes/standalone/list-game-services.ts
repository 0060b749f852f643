import type { Route } from '../../route-types.js';

export const listGameServices: Route<'listGameServices'> = ({ gameServiceAdmin }) => async () => ({
  gameServices: await gameServiceAdmin.list(),
});
