import type { Route } from '../../route-types.js';

export const getSession: Route<'getSession'> = ({ sessions }) => async (body) => ({
  session: await sessions.get(body.sessionId),
});
