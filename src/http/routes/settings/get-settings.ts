import type { Route } from '../../route-types.js';

export const getGameServiceSettings: Route<'getGameServiceSettings'> = ({ settings }) => async (body, { scope }) => ({
  settings: await settings.get(scope, body.gameServiceId),
});
