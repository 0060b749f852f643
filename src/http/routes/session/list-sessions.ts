import type { Route } from '../../route-types.js';

export const listSessions: Route<'listSessions'> = ({ sessions }) => async (body, { scope }) => {
  const page = body.page ?? 1;
  const pageSize = body.pageSize ?? 20;
  const { items, totalCount } = await sessions.list(scope, {
    entityId: body.entityId,
    entityType: body.entityType,
    gameServiceId: body.gameServiceId,
    includeFinished: body.includeFinished ?? false,
    page,
    pageSize,
  });
  return { items, page, pageSize, totalCount };
};
