import type { Route } from '../../route-types.js';

export const deregisterStation: Route<'deregisterStation'> = ({ stations }) => (body, { scope }) =>
  stations.deregister(scope, body.stationId);
