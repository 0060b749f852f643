import type { Route } from '../../route-types.js';

export const listStations: Route<'listStations'> = ({ stations }) => (body, { scope }) =>
  stations.list(scope, {
    gameServiceId: body.gameServiceId,
    stationType: body.stationType,
    locationId: body.locationId,
    isActive: body.isActive,
    page: body.page ?? 1,
    pageSize: body.pageSize ?? 20,
  });
