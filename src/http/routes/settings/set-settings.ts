import type { Route } from '../../route-types.js';

export const setGameServiceSettings: Route<'setGameServiceSettings'> = ({ settings }) => async (body, { scope }) => ({
  settings: await settings.set(scope, body.gameServiceId, { ...(body.maxPausedSeconds !== undefined && { maxPausedSeconds: body.maxPausedSeconds }) }),
});
