import type { Route } from '../../route-types.js';

export const startSession: Route<'startSession'> = ({ sessions }) => async (body, ctx) => {
  const started = await sessions.start(ctx.scope, body);
  // The request's log lines carry entityId from the body; the new session id only exists now.
  ctx.log.info({ sessionId: started.sessionId, contractId: started.contractId }, 'session started');
  return started;
};
