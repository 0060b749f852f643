import type { Route } from '../../route-types.js';

export const cancelSession: Route<'cancelSession'> = ({ sessions }) => async (body, ctx) => {
  const cancelled = await sessions.cancel(ctx.scope, body.sessionId);
  ctx.log.info({ materialsReturned: cancelled.materialsReturned.length }, 'session cancelled');
  return cancelled;
};
