import type { Route } from '../../route-types.js';

export const deregisterStation: Route<'deregisterStation'> = ({ stations }) => (body) =>
  stations.deregister(body.stationId);
