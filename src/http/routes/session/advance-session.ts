import type { Route } from '../../route-types.js';

export const advanceSession: Route<'advanceSession'> = ({ sessions }) => async (body, ctx) => {
  const advanced = await sessions.advance(ctx.scope, body);
  ctx.log.info({ stepCode: advanced.stepCode, status: advanced.status }, 'session step completed');
  return advanced;
};
