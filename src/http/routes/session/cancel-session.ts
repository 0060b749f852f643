import type { Route } from '../../route-types.js';

export const cancelSession: Route<'cancelSession'> = ({ sessions }) => (body) => sessions.cancel(body.sessionId);
