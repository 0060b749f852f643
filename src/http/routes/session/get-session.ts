import type { Route } from '../../route-types.js';

export const getSession: Route<'getSession'> = ({ sessions }) => async (body, { scope }) => ({
  session: await sessions.get(scope, body.sessionId),
});
