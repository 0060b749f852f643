import type { Route } from '../../route-types.js';

export const getStation: Route<'getStation'> = ({ stations }) => async (body) => ({
  station: await stations.get(body.stationId),
});
