import type { Route } from '../../route-types.js';

export const registerGameService: Route<'registerGameService'> = ({ gameServiceAdmin }) => async (body) => ({
  gameService: await gameServiceAdmin.register(body),
});
