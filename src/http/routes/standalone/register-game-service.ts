import type { Route } from '../../route-types.js';

export const registerGameService: Route<'registerGameService'> = ({ gameServiceAdmin }) => async (body, { scope }) => ({
  gameService: await gameServiceAdmin.register(scope, body),
});
