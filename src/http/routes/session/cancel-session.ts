import type { Route } from '../../route-types.js';

export const cancelSession: Route<'cancelSession'> = ({ sessions }) => async (body, ctx) => {
  const cancelled = await sessions.cancel(body.sessionId);
  ctx.log.info({ materialsReturned: cancelled.materialsReturned.length }, 'session cancelled');
  return cancelled;
};
