import type { Route } from '../../route-types.js';

export const completeSession: Route<'completeSession'> = ({ sessions }) => (body) =>
  sessions.complete(body.sessionId, body.contractId);
