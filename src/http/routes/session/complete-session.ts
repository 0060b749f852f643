import type { Route } from '../../route-types.js';

export const completeSession: Route<'completeSession'> = ({ sessions }) => async (body, ctx) => {
  const completed = await sessions.complete(ctx.scope, body.sessionId, body.contractId);
  ctx.log.info({ status: completed.status }, 'session completion requested');
  return completed;
};
