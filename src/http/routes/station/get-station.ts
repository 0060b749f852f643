import type { Route } from '../../route-types.js';

export const getStation: Route<'getStation'> = ({ stations }) => async (body, { scope }) => ({
  station: await stations.get(scope, body.stationId),
});
